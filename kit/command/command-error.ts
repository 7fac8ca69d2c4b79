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

/**
 * A string option followed by something that starts with "-" but is no option of the command
 * (`--operator -1`, `--seed -5`) takes it as its value, so that our own check of the value
 * names the problem, rather than util.parseArgs calling it ambiguous.
 */
function joinDashValues(argv: string[], options: Options): string[] {
  const joined: string[] = [];
  const isOption = (token: string): boolean => token.startsWith("--") && Object.hasOwn(options, token.slice(2).split("=")[0]);
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    if (token === "--") {
      joined.push(...argv.slice(index));
      break;
    }
    const next = argv[index + 1];
    const option = token.startsWith("--") && !token.includes("=") && Object.hasOwn(options, token.slice(2)) ? options[token.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && next.startsWith("-") && !isOption(next)) {
      joined.push(`${token}=${next}`);
      index++;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

/** What util.parseArgs complained about, in our words. */
function usageMessage(error: NodeJS.ErrnoException, options: Options): string {
  const quoted = /'([^' ]+)/.exec(error.message)?.[1] ?? "";
  const known = Object.keys(options).map((name) => `--${name}`).join(", ");
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option "${quoted}"; this command takes ${known}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return options[quoted.replace(/^--/, "")]?.type === "boolean" ? `${quoted} takes no value` : `${quoted} needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${quoted}"`;
    default:
      return error.message;
  }
}

/** util.parseArgs, with its complaints turned into usage errors in our own words. */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, positionalsMax: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: joinDashValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CommandError(EXIT_USAGE, usageMessage(error as NodeJS.ErrnoException, options) + " (see --help)");
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
