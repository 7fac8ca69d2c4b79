/**
 * Errors a command reports to its user: the message says what was wrong and what to do, the
 * exit code comes from exit-codes.ts. Commands throw it; the subcommand dispatcher prints it.
 */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { EXIT_USAGE } from "./exit-codes.ts";

export class CommandError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs, with its complaints turned into a usage error. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, positionalsMax: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CommandError(EXIT_USAGE, (error as Error).message + " (see --help)");
  }
  if (parsed.positionals.length > positionalsMax) {
    throw new CommandError(EXIT_USAGE, `unexpected argument "${parsed.positionals[positionalsMax]}" (see --help)`);
  }
  return parsed;
}

/** Runs `body`, printing a CommandError as "guillotine NAME: message" and returning its code. */
export async function runReportingErrors(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    console.error(`guillotine ${name}: ${error.message}`);
    return error.exitCode;
  }
}
