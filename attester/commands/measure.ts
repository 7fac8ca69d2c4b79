/** `guillotine agent measure`: prints the digest to put in the controller's allowlist. */
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK } from "../../kit/command/exit-codes.ts";
import { measure } from "../measure.ts";
import { CONFIG_PATH_DEFAULT, loadConfigOrThrow } from "./load.ts";

export const summary = "measure this host as the agent would and print the digest for the allowlist";

export const help = `usage: guillotine agent measure [--config FILE] [--json]

Reads every measurement source of the configuration once and prints the 32-hex digest the
heartbeats will carry, with one line per source, so you can check what went in and add the
digest to the controller's "measurements" allowlist before provisioning.

options:
  --config FILE   agent configuration (default ${CONFIG_PATH_DEFAULT})
  --json          print {"digest": ..., "records": [...]}
exit codes: 0 measured, 2 usage, 3 bad configuration`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { config: { type: "string" }, json: { type: "boolean", default: false } }, 0);
  const config = loadConfigOrThrow(values.config);
  const result = await measure(config.measurements, config.commandTimeoutMs);
  if (values.json) {
    console.log(JSON.stringify(result));
  } else {
    for (const record of result.records) console.log(record);
    console.log(`digest ${result.digest}`);
  }
  return EXIT_OK;
}
