/** `guillotine provision`: writes a controller configuration over the maintenance console. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError, parseCommandArgs, runReportingErrors } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { ConsoleError, EspruinoConsole } from "../../kit/console/espruino-console.ts";
import { KeyFileError } from "../../kit/key-file.ts";
import { ConfigFileError, describeConfig, prepareConfig } from "./config-file.ts";
import type { PreparedConfig } from "./config-file.ts";
import { provision, ProvisionError, PROVISION_STEPS } from "./provision.ts";
import type { ProvisionResult } from "./provision.ts";
import { systemTimers } from "../../kit/timers.ts";
import { describeEndpoint, openStream, parseEndpoint } from "../../kit/transport/endpoint.ts";

export const summary = "write a controller configuration over the console (maintenance mode)";

export const help = `usage: guillotine provision --config FILE --port PORT [options]
       guillotine provision --config FILE --check

Validates FILE with the firmware's own validator, then writes it to the controller over the
Espruino console on its programming port, which exists only in maintenance mode (strap fitted
at boot). The new file is staged and verified by SHA-256 before anything stored is touched;
the state slots are saved locally, then erased, so the controller boots offline. Keys are sent
once and never read back: only digests are compared. See docs/operations.md.

options:
  --config FILE         controller configuration (JSON, mode 0600 if it holds keys)
  --port PORT           programming port: /dev/ttyACM0, or tcp://127.0.0.1:N for the simulator
  --baud N              serial baud rate (default 115200)
  --host-key FILE       take hostKey from this key file
  --operator-key FILE   take the operator keys from these files, in order (repeat the option)
  --backup-dir DIR      where the old state slots are saved (default .)
  --check               only validate FILE and show what would be written
  --json                print the result as JSON
exit codes: 0 provisioned (or valid with --check), 1 verification failed, 2 usage,
            3 bad configuration or key file, 4 console unreachable`;

const OPTIONS = {
  config: { type: "string" },
  port: { type: "string" },
  baud: { type: "string", default: "115200" },
  "host-key": { type: "string" },
  "operator-key": { type: "string", multiple: true, default: [] as string[] },
  "backup-dir": { type: "string", default: "." },
  check: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
} as const;

function prepare(path: string, hostKeyFile: string | undefined, operatorKeyFiles: string[]): PreparedConfig {
  try {
    return prepareConfig(path, { hostKeyFile, operatorKeyFiles });
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof KeyFileError) throw new CommandError(EXIT_CONFIG, error.message);
    throw error;
  }
}

async function writeToBoard(port: string, baud: number, prepared: PreparedConfig, backupDir: string, quiet: boolean): Promise<ProvisionResult> {
  const endpoint = parseEndpoint(port, baud);
  if ("error" in endpoint) throw new CommandError(EXIT_USAGE, `--port: ${endpoint.error}`);
  const stream = await openStream(endpoint).catch((error: Error) => {
    throw new CommandError(EXIT_UNREACHABLE, error.message);
  });
  const board = new EspruinoConsole(stream, systemTimers);
  const progress = (step: number, text: string): void => {
    if (!quiet) console.error(`[${step}/${PROVISION_STEPS}] ${text}`);
  };
  const saveState = async (state: Record<string, string>): Promise<void> => {
    mkdirSync(backupDir, { recursive: true });
    const path = join(backupDir, `guillotine-state-${prepared.config.id}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(path, JSON.stringify({ port: describeEndpoint(endpoint), state }, null, 2) + "\n");
    if (!quiet) console.error(`saved the old state slots to ${path}`);
  };
  try {
    await board.waitForPrompt();
    return await provision({ console: board, fileText: prepared.fileText, shortestDeadlineMs: Math.min(...prepared.config.deadlineMs), progress, saveState });
  } catch (error) {
    if (error instanceof ConsoleError) throw new CommandError(EXIT_UNREACHABLE, `${describeEndpoint(endpoint)}: ${error.message}`);
    if (error instanceof ProvisionError) throw new CommandError(EXIT_FAILED, error.message);
    throw error;
  } finally {
    board.close();
  }
}

export function run(argv: string[]): Promise<number> {
  return runReportingErrors("provision", () => provisionCommand(argv));
}

async function provisionCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  if (values.config === undefined) throw new CommandError(EXIT_USAGE, "--config FILE is required");
  const prepared = prepare(values.config, values["host-key"], values["operator-key"]);
  if (!values.json) for (const line of describeConfig(prepared.config)) console.error(line);
  if (values.check) {
    if (values.json) console.log(JSON.stringify({ ok: true, id: prepared.config.id, configDigest: prepared.jsonDigest }));
    else console.log(`valid; config digest ${prepared.jsonDigest}`);
    return EXIT_OK;
  }
  if (values.port === undefined) throw new CommandError(EXIT_USAGE, "--port PORT is required (or --check to only validate)");
  const baud = Number(values.baud);
  if (!Number.isInteger(baud) || baud <= 0) throw new CommandError(EXIT_USAGE, "--baud must be a positive integer");
  const result = await writeToBoard(values.port, baud, prepared, values["backup-dir"], values.json);
  if (values.json) {
    console.log(JSON.stringify({ ok: true, id: prepared.config.id, board: result.board, configDigest: prepared.jsonDigest, storedDigest: result.storedDigest, savedState: Object.keys(result.savedState) }));
    return EXIT_OK;
  }
  console.log(`provisioned ${prepared.config.id} on ${result.board} (Espruino ${result.espruinoVersion}); config digest ${prepared.jsonDigest}`);
  console.log("Remove the maintenance strap and reset the board: it boots offline; restore with an operator quorum (docs/operations.md).");
  return EXIT_OK;
}
