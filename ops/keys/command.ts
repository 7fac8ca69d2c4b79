/** `guillotine keys create FILE...`: fresh host and operator keys, mode 0600, never overwritten. */
import { CommandError, parseCommandArgs, runReportingErrors } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { createKeyFile, KeyExistsError } from "./create-key.ts";

export const summary = "create host and operator key files (32 random bytes, mode 0600)";

export const help = `usage: guillotine keys create FILE [FILE...] [--json]

Writes a new key (32 bytes from the system's CSPRNG, as 64 hex digits) to each FILE with
mode 0600. An existing file is never overwritten: the command stops at the first one that
exists (files created before it are kept and listed). One file for the host key (the agent's
keyFile), one per operator, each created on the machine where it will be kept.

options:
  --json   print {"created": [...]} instead of one line per file
exit codes: 0 all created, 2 usage, 3 a file exists or cannot be written`;

async function keysCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: "boolean", default: false } }, Infinity);
  if (positionals[0] !== "create" || positionals.length < 2) {
    throw new CommandError(EXIT_USAGE, "usage: guillotine keys create FILE [FILE...]");
  }
  const created: string[] = [];
  for (const path of positionals.slice(1)) {
    try {
      createKeyFile(path);
    } catch (error) {
      const message = error instanceof KeyExistsError ? error.message : `cannot write ${path}: ${(error as Error).message}`;
      const done = created.length > 0 ? ` (already created: ${created.join(", ")})` : "";
      throw new CommandError(EXIT_CONFIG, message + done);
    }
    created.push(path);
    if (!values.json) console.log(`created ${path} (mode 0600)`);
  }
  if (values.json) console.log(JSON.stringify({ created }));
  return EXIT_OK;
}

export function run(argv: string[]): Promise<number> {
  return runReportingErrors("keys", () => keysCommand(argv));
}
