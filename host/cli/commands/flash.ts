/**
 * `guillotine flash`: uploads a firmware bundle to a board (or the simulated board) with the
 * real espruino tool and saves it, then judges the result by what the tool printed, since
 * the tool exits 0 even when it never reached a board.
 *
 * Before uploading it asks the board who it is (process.env.BOARD) and refuses a board that
 * is not the profile's: a bundle built for another pin map would drive the wrong relays.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { boardProblem } from "../board-argument.ts";
import { parseCommandArgs } from "../command-error.ts";
import { loadProfile } from "../../../hardware/profile.ts";
import type { BoardProfile } from "../../../hardware/profile-types.ts";
import {
  TOOL_TIMEOUT_BASE_MS,
  TOOL_TIMEOUT_MS_PER_BYTE,
  runEspruinoTool,
  writeBoardJson,
  type ToolProgress,
  type ToolRun,
} from "../../../simulator/io/espruino-tool.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE } from "../exit-codes.ts";

export const summary = "upload a firmware bundle to a board with the espruino tool and save() it";

export const help = `usage: guillotine flash --board ID --port PORT [--file FILE] [--baud N] [--json]

Uploads FILE (default dist/firmware-ID.js, built by \`make build BOARD=ID\`) with the espruino
tool, then runs save() so the board boots it. First checks that the board on PORT reports the
profile's Espruino board id, and refuses another board.

  --board ID     board profile (hardware/profiles/ID.json), e.g. PICO
  --port PORT    /dev/ttyACM0 for a real board, or tcp://127.0.0.1:N for the simulator's
                 console (printed by \`guillotine sim\`); ptys (/dev/pts/N) do not work:
                 the espruino tool only opens ports that SerialPort.list() reports
  --file FILE    bundle to upload (default dist/firmware-ID.js)
  --baud N       console baud rate for boards on a UART (default 115200; USB ignores it)
  --json         print one JSON object with the result instead of text

Exit codes: 0 flashed; 1 the board rejected the code; 2 bad options or unknown board;
3 missing file, broken profile or wrong board; 4 the port did not answer.`;

const BAUD_DEFAULT = 115200;
/**
 * A statement without effect, sent only so the tool connects and reads process.env. It must be
 * longer than the tool's 19-byte send block: shorter sends never report completion (0.1.67).
 */
const PROBE_EXPRESSION = "void 'guillotine flash probe'";

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
  else if (outcome.code === EXIT_OK) console.log(`flashed ${outcome.result.file} (${outcome.result.bytes} bytes) to ${outcome.result.board} on ${outcome.result.port} and saved it`);
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
  const bytes = statSync(file).size;
  const boardJsonDirectory = mkdtempSync(join(tmpdir(), "guillotine-flash-"));
  try {
    writeBoardJson(boardJsonDirectory, profile);
    const tool = { port: options.port, baud: options.baud, boardJsonDirectory };
    progressLine(options.quiet, `asking the board on ${options.port} who it is...`);
    const probe = await runEspruinoTool({ ...tool, expression: PROBE_EXPRESSION, timeoutMs: TOOL_TIMEOUT_BASE_MS });
    const unreachable = unreachableReason(probe, options.port, options.baud);
    if (unreachable !== undefined) return fail(EXIT_UNREACHABLE, unreachable);
    if (probe.board !== profile.espruinoBoard) {
      return fail(EXIT_CONFIG, `the board on ${options.port} reports BOARD=${probe.board}, but profile ${profile.id} is for ${profile.espruinoBoard}: pass the matching --board, or connect the board that profile is for (${profile.name})`);
    }
    progressLine(options.quiet, `found ${probe.board} (Espruino ${probe.version}); uploading ${options.file} (${bytes} bytes) and saving`);
    const upload = await runEspruinoTool({
      ...tool,
      file,
      expression: "save()",
      timeoutMs: TOOL_TIMEOUT_BASE_MS + bytes * TOOL_TIMEOUT_MS_PER_BYTE,
      onProgress: options.quiet ? undefined : showProgress(),
      onBoardOutput: options.quiet ? undefined : (line) => console.error(`  board: ${line}`),
    });
    if (!options.quiet && process.stderr.isTTY) process.stderr.write("\n");
    const problem = unreachableReason(upload, options.port, options.baud) ?? uploadProblem(upload);
    if (problem !== undefined) return fail(upload.connected && upload.board !== undefined ? EXIT_FAILED : EXIT_UNREACHABLE, problem);
    return { code: EXIT_OK, result: { ok: true, port: options.port, board: upload.board, version: upload.version, file: options.file, bytes, boardOutput: upload.boardOutput } };
  } finally {
    rmSync(boardJsonDirectory, { recursive: true, force: true });
  }
}

/** Why the tool never talked to an Espruino, or undefined when it did. */
function unreachableReason(run: ToolRun, port: string, baud: number): string | undefined {
  const seen = run.problems.length > 0 ? ` (the tool said: ${run.problems.join("; ")})` : "";
  if (run.timedOut) return `the espruino tool did not finish on ${port}${seen}: check the cable and that nothing else holds the port`;
  if (!run.connected) {
    const hint = port.startsWith("tcp://") ? "is `guillotine sim` running, with this console URL?" : "is the board plugged in, and is the path right?";
    return `cannot open ${port}${seen}: ${hint}`;
  }
  if (run.board === undefined) {
    return (
      `${port} opened but no Espruino REPL answered${seen}: check --baud (now ${baud}) and that the board runs Espruino. ` +
      "A board already running the firmware keeps its console off this port outside maintenance mode: set the maintenance strap " +
      "(simulator: guillotine sim ctl press maintenance on) and reset the board (ctl reset), then flash again"
    );
  }
  return undefined;
}

/** What went wrong in an upload that did reach the board, or undefined. */
function uploadProblem(run: ToolRun): string | undefined {
  const thrown = run.boardOutput.filter((line) => /Uncaught|New interpreter error|Out of Memory|OUT OF MEMORY|ERROR/.test(line));
  if (thrown.length > 0) return `the board reported errors while loading the firmware: ${thrown.join(" | ")}`;
  if (!run.uploadComplete) return `the upload did not complete${run.problems.length > 0 ? ` (${run.problems.join("; ")})` : ""}: try again`;
  return undefined;
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
