/**
 * `guillotine flash`: installs a firmware bundle on a board (or the simulated board) as boot
 * code with the real espruino tool, then restarts it from flash and reports what the started
 * firmware and its board say (ops/flash/flash-board.ts). The tool's exit code says nothing
 * (it exits 0 even when it never reached a board), so every step is judged by what the board
 * printed and answered.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { boardProblem } from "../../kit/command/board-argument.ts";
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import { loadProfile } from "../../hardware/profile.ts";
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { writeBoardJson, type ToolProgress } from "./espruino-tool.ts";
import { findFirmwareId } from "../../protocol/firmware-id.ts";
import { FlashError, flashBoard, type FlashProof } from "./flash-board.ts";
import { systemTimers } from "../../kit/timers.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";

export const summary = "install a firmware bundle as boot code with the espruino tool and prove it started";

export const help = `usage: guillotine flash --board ID --port PORT [--file FILE] [--baud N] [--json]

Installs FILE (default dist/firmware-ID.js, built by \`make build BOARD=ID\`) on the board as
boot code that runs from flash, then restarts it and reports the started firmware's version
and the board's memory and Storage figures. The board must be in maintenance mode (strap
fitted, then reset): only there does the firmware keep its console on this port.

Steps: check that the board reports the profile's Espruino board id; check the strap; erase
Espruino's saved code (.varimg, .bootcde, .bootrst) and nothing else, so the configuration,
state slots and event log stay; write FILE to .bootcde with the espruino tool
(SAVE_ON_SEND=1); restart with load(); wait for the firmware's start-up; read
process.memory() and Storage.getStats().

  --board ID     board profile (hardware/profiles/ID.json), e.g. PICO
  --port PORT    /dev/ttyACM0 for a real board, or tcp://127.0.0.1:N for the simulator's
                 console (printed by \`guillotine sim\`); ptys (/dev/pts/N) do not work:
                 the espruino tool only opens ports that SerialPort.list() reports
  --file FILE    bundle to install (default dist/firmware-ID.js)
  --baud N       console baud rate for boards on a UART (default 115200; USB ignores it)
  --json         print one JSON object with the result instead of text

Exit codes: 0 installed and started; 1 the board reported an error (Uncaught, out of memory,
LOW_MEMORY) or the firmware did not start; 2 bad options or unknown board; 3 missing or foreign file, unknown
profile, wrong board, or the maintenance strap not fitted; 4 the port did not answer.`;

const BAUD_DEFAULT = 115200;

interface Outcome {
  code: number;
  result: Record<string, unknown>;
}

export async function run(argv: string[]): Promise<number> {
  let values: { board?: string; port?: string; file?: string; baud?: string; json?: boolean };
  try {
    ({ values } = parseCommandArgs(argv, { board: { type: "string" }, port: { type: "string" }, file: { type: "string" }, baud: { type: "string" }, json: { type: "boolean" } }, 0));
  } catch (error) {
    return usageError((error as Error).message);
  }
  const boardError = boardProblem(values.board);
  if (boardError !== undefined || values.board === undefined) return usageError(boardError ?? "--board needs a value");
  if (values.port === undefined) return usageError("--port is missing: /dev/ttyACM0 for a board, tcp://127.0.0.1:N for the simulator");
  const baud = values.baud === undefined ? BAUD_DEFAULT : Number(values.baud);
  if (!Number.isInteger(baud) || baud <= 0) return usageError(`--baud must be a positive whole number, got ${values.baud}`);
  const ptyProblem = ptyRefusal(values.port);
  if (ptyProblem !== undefined) return usageError(ptyProblem);

  const outcome = await flash({ boardId: values.board, port: values.port, file: values.file ?? `dist/firmware-${values.board}.js`, baud, quiet: values.json === true });
  if (values.json) console.log(JSON.stringify(outcome.result));
  else if (outcome.code === EXIT_OK) console.log(describeProof(outcome.result));
  else console.error(`guillotine flash: ${outcome.result.error}`);
  return outcome.code;
}

async function flash(options: { boardId: string; port: string; file: string; baud: number; quiet: boolean }): Promise<Outcome> {
  const fail = (code: number, error: string): Outcome => ({ code, result: { ok: false, port: options.port, error } });
  let profile: BoardProfile;
  try {
    profile = loadProfile(options.boardId);
  } catch (error) {
    return fail(EXIT_CONFIG, (error as Error).message);
  }
  const file = resolve(options.file);
  if (!existsSync(file)) return fail(EXIT_CONFIG, `no ${options.file}: build it with \`make build BOARD=${options.boardId}\` or pass --file`);
  const bundle = readFileSync(file, "utf8");
  const bundleId = findFirmwareId(bundle);
  if (bundleId === undefined) return fail(EXIT_CONFIG, `${options.file} is not a guillotine firmware bundle (it holds no "guillotine <version> <board>" id): build one with \`make build BOARD=${options.boardId}\``);
  if (bundleId.boardId !== profile.id) return fail(EXIT_CONFIG, `${options.file} was built for ${bundleId.boardId}, not ${profile.id}: its pin map would drive the wrong relays; build it with \`make build BOARD=${profile.id}\``);
  const boardJsonDirectory = mkdtempSync(join(tmpdir(), "guillotine-flash-"));
  try {
    writeBoardJson(boardJsonDirectory, profile);
    const proof = await flashBoard({
      profile,
      port: options.port,
      baud: options.baud,
      file,
      bundle,
      bundleId,
      boardJsonDirectory,
      timers: systemTimers,
      progress: (text) => progressLine(options.quiet, text),
      onToolProgress: options.quiet ? undefined : showProgress(),
      onBoardOutput: options.quiet ? undefined : (line) => console.error(`  board: ${line}`),
    });
    if (!options.quiet && process.stderr.isTTY) process.stderr.write("\n");
    return { code: EXIT_OK, result: { ok: true, port: options.port, profile: profile.id, file: options.file, bytes: Buffer.byteLength(bundle, "utf8"), ...proof } };
  } catch (error) {
    if (error instanceof FlashError) return fail(error.exitCode, error.message);
    throw error;
  } finally {
    rmSync(boardJsonDirectory, { recursive: true, force: true });
  }
}

function describeProof(result: Record<string, unknown>): string {
  const proof = result as unknown as FlashProof & { file: string; bytes: number; port: string };
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    `installed ${proof.file} (${n(proof.bytes)} bytes) as boot code on ${proof.board} (Espruino ${proof.espruinoVersion}) at ${proof.port}`,
    `firmware ${proof.firmware.version} for ${proof.firmware.boardId} started`,
    `memory: ${n(proof.memory.usedBlocks)} blocks used, ${n(proof.memory.freeBlocks)} free of ${n(proof.memory.totalBlocks)}`,
    `Storage: ${n(proof.storage.usedBytes)} bytes used, ${n(proof.storage.freeBytes)} free of ${n(proof.storage.totalBytes)}`,
  ].join("\n");
}

/** `-p /dev/pts/N` makes the tool answer "Port not found"; say why and what to use instead. */
function ptyRefusal(port: string): string | undefined {
  let path = port;
  try {
    if (!port.startsWith("tcp://") && existsSync(port)) path = realpathSync(port);
  } catch {
    return undefined;
  }
  if (!path.startsWith("/dev/pts/")) return undefined;
  return `${port} is a pty (${path}), which the espruino tool refuses ("Port not found": it only opens ports SerialPort.list() reports). For the simulator pass its console URL instead: --port tcp://127.0.0.1:PORT, as printed by \`guillotine sim\``;
}

function showProgress(): (progress: ToolProgress) => void {
  let lastQuarter = -1;
  return ({ sentBytes, totalBytes }) => {
    if (totalBytes < 100) return;
    const percent = Math.min(100, Math.floor((100 * sentBytes) / totalBytes));
    if (process.stderr.isTTY) {
      process.stderr.write(`\r  sending ${percent}% (${sentBytes}/${totalBytes} bytes)`);
    } else if (Math.floor(percent / 25) > lastQuarter) {
      lastQuarter = Math.floor(percent / 25);
      console.error(`  sending ${percent}% (${sentBytes}/${totalBytes} bytes)`);
    }
  };
}

function progressLine(quiet: boolean, text: string): void {
  if (!quiet) console.error(text);
}

function usageError(message: string): number {
  console.error(`guillotine flash: ${message}\n\n${help}`);
  return EXIT_USAGE;
}
