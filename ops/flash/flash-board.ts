/**
 * Installs a firmware bundle as boot code and proves it started, in five steps:
 *
 *  1. ask the board who it is (the espruino tool reads process.env) and refuse another board;
 *  2. over the console: check the maintenance strap, hand the watchdog to the idle loop, and
 *     erase Espruino's saved code (.varimg, .bootcde, .bootrst) and nothing else, so the
 *     configuration, state slots and log stay;
 *  3. upload with the espruino tool as boot code (SAVE_ON_SEND=1): 1 KB Storage writes into
 *     .bootcde, then load(); the code runs from flash, so only one 1 KB statement is ever in
 *     RAM while uploading (a RAM upload holds the whole 23 KB bundle as one statement, which
 *     does not fit a Pico);
 *  4. restart from flash with load() and wait for the firmware's own start-up (its id appears
 *     in a global as start()'s last act);
 *  5. read the figures (memory blocks, Storage) and judge everything the board printed.
 *
 * Only maintenance mode keeps the console on the programming port after start-up, and every
 * output is open there, so flashing requires the strap.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { BOOT_CODE_FILE, BOOT_CODE_RESET_FILE, SAVED_CODE_FILE } from "../../protocol/storage-names.ts";
import { TOOL_TIMEOUT_BASE_MS, TOOL_TIMEOUT_MS_PER_BYTE, runEspruinoTool, type ToolProgress, type ToolRun } from "./espruino-tool.ts";
import { parseFirmwareId, type FirmwareId } from "../../protocol/firmware-id.ts";
import { ConsoleError, EspruinoConsole } from "../../kit/console/espruino-console.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_UNREACHABLE } from "../../kit/command/exit-codes.ts";
import type { Timers } from "../../kit/timers.ts";
import { openStream, parseEndpoint } from "../../kit/transport/endpoint.ts";
import * as statements from "./board-statements.ts";
import { FIRMWARE_ID_GLOBAL } from "../../protocol/constants.ts";

/** A statement without effect, sent only so the tool connects and reads process.env; longer than the tool's 19-byte send block. */
const PROBE_EXPRESSION = "void 'guillotine flash probe'";
/** How long the firmware may take from load() to the end of start(). */
export const STARTUP_MS_MAX = 15_000;
const STARTUP_POLL_MS = 250;
/** Control cycles run this long after start-up before the figures are read, so they are the firmware's steady state. */
const SETTLE_MS = 1000;
/** Each Storage write of the upload is followed by the tool's 250 ms pause. */
const TOOL_MS_PER_CHUNK = 300;
const TOOL_CHUNK_BYTES = 1024;
/** What the board prints when memory runs out or a statement throws (as 2v29 prints it). */
const BOARD_PROBLEMS = /Uncaught[^\r\n]*|OUT OF MEMORY|Out of Memory[^\r\n]*|New interpreter error: [A-Z_,]*|ERROR: [^\r\n]*/gi;
const MEMORY_FLAGS = /LOW_MEMORY|MEMORY/;

export class FlashError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

export interface FlashOptions {
  profile: BoardProfile;
  port: string;
  baud: number;
  /** Absolute path of the bundle and its text. */
  file: string;
  bundle: string;
  bundleId: FirmwareId;
  /** Directory holding the board JSON the tool loads (writeBoardJson). */
  boardJsonDirectory: string;
  timers: Timers;
  progress: (text: string) => void;
  onToolProgress?: (progress: ToolProgress) => void;
  onBoardOutput?: (line: string) => void;
  /** How long the firmware may take from load() to the end of start(); default STARTUP_MS_MAX. */
  startupMsMax?: number;
}

/** What the started firmware and its board report. */
export interface FlashProof {
  board: string;
  espruinoVersion: string;
  firmware: FirmwareId;
  memory: { usedBlocks: number; freeBlocks: number; totalBlocks: number };
  storage: { usedBytes: number; freeBytes: number; totalBytes: number };
}

export async function flashBoard(options: FlashOptions): Promise<FlashProof> {
  const { profile, port } = options;
  const tool = { port, baud: options.baud, boardJsonDirectory: options.boardJsonDirectory };
  options.progress(`asking the board on ${port} who it is...`);
  const probe = await runEspruinoTool({ ...tool, expression: PROBE_EXPRESSION, timeoutMs: TOOL_TIMEOUT_BASE_MS });
  const unreachable = unreachableReason(probe, port, options.baud);
  if (unreachable !== undefined) throw new FlashError(EXIT_UNREACHABLE, unreachable);
  if (probe.board !== profile.espruinoBoard) {
    throw new FlashError(EXIT_CONFIG, `the board on ${port} reports BOARD=${probe.board}, but profile ${profile.id} is for ${profile.espruinoBoard}: pass the matching --board, or connect the board that profile is for (${profile.name})`);
  }

  options.progress(`found ${probe.board} (Espruino ${probe.version}); erasing its old saved code (configuration, state and log stay)`);
  await withConsole(options, (board) => prepare(board, profile));

  const bytes = Buffer.byteLength(options.bundle, "utf8");
  options.progress(`writing ${bytes} bytes as boot code (.bootcde)`);
  const chunks = Math.ceil(bytes / TOOL_CHUNK_BYTES);
  const upload = await runEspruinoTool({
    ...tool,
    file: options.file,
    config: ["SAVE_ON_SEND=1"],
    timeoutMs: TOOL_TIMEOUT_BASE_MS + bytes * TOOL_TIMEOUT_MS_PER_BYTE + chunks * TOOL_MS_PER_CHUNK,
    onProgress: options.onToolProgress,
    onBoardOutput: options.onBoardOutput,
  });
  const uploadFailure = unreachableReason(upload, port, options.baud) ?? uploadProblem(upload);
  if (uploadFailure !== undefined) throw new FlashError(upload.connected && upload.board !== undefined ? EXIT_FAILED : EXIT_UNREACHABLE, uploadFailure);

  options.progress("restarting from flash (load()) and waiting for the firmware to start...");
  return withConsole(options, (board) => prove(board, options));
}

async function withConsole<T>(options: FlashOptions, work: (board: EspruinoConsole) => Promise<T>): Promise<T> {
  const endpoint = parseEndpoint(options.port, options.baud);
  if ("error" in endpoint) throw new FlashError(EXIT_UNREACHABLE, endpoint.error);
  const stream = await openStream(endpoint).catch((error: Error) => {
    throw new FlashError(EXIT_UNREACHABLE, `cannot open ${options.port}: ${error.message}`);
  });
  const board = new EspruinoConsole(stream, options.timers);
  try {
    return await work(board);
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    // A board out of memory may stop answering: what it printed says why.
    const memory = memoryProblems(board.heard());
    if (memory.length > 0) throw outOfMemory(options.profile, memory);
    throw new FlashError(EXIT_UNREACHABLE, `${options.port}: ${error.message}`);
  } finally {
    board.close();
  }
}

async function prepare(board: EspruinoConsole, profile: BoardProfile): Promise<void> {
  await board.waitForPrompt();
  if ((await board.evaluate(statements.maintenanceStrap(profile))) !== 1) {
    throw new FlashError(
      EXIT_CONFIG,
      `the maintenance strap is not fitted (${profile.inputs.maintenance.pin} is not ${profile.inputs.maintenance.active}): fit it and reset the board, then flash again. ` +
        "Only in maintenance mode does the firmware keep its console on this port, where flash reads back the proof, and keep every output open " +
        "(simulator: guillotine sim ctl press maintenance on, then ctl reset)",
    );
  }
  await board.evaluate(statements.WATCHDOG_TO_IDLE_LOOP);
  await board.evaluate(statements.ERASE_SAVED_CODE);
  await board.evaluate(statements.COMPACT_STORAGE);
}

async function prove(board: EspruinoConsole, options: FlashOptions): Promise<FlashProof> {
  const { profile, timers } = options;
  await board.waitForPrompt(2000);
  await board.evaluate(statements.LOAD_FROM_FLASH);
  // No prompt wake-up from here on: its Ctrl-C retry would interrupt the firmware's start().
  const startupMsMax = options.startupMsMax ?? STARTUP_MS_MAX;
  const startedAt = timers.nowMs();
  let started: unknown;
  while (started === undefined && timers.nowMs() - startedAt < startupMsMax) {
    await sleep(timers, STARTUP_POLL_MS);
    started = await board.evaluate(statements.STARTED_FIRMWARE).catch((error: Error) => {
      if (error instanceof ConsoleError && /refused/.test(error.message)) throw error;
      return undefined;
    });
  }
  if (started !== undefined) await sleep(timers, SETTLE_MS);
  const figures = started === undefined ? undefined : ((await board.evaluate(statements.FIGURES)) as [string, string, Record<string, number>, Record<string, number>, string[]]);
  const problems = boardProblems(board.heard());
  if (memoryProblems(board.heard()).length > 0) throw outOfMemory(profile, problems);
  if (problems.length > 0) throw new FlashError(EXIT_FAILED, `the board reported errors while starting the firmware: ${problems.join(" | ")}`);
  if (figures === undefined) {
    throw new FlashError(EXIT_FAILED, `the firmware did not start within ${startupMsMax / 1000} s of load(): global ${FIRMWARE_ID_GLOBAL} never appeared (the board printed ${JSON.stringify(board.heard().slice(-200))})`);
  }
  const [boardName, espruinoVersion, memory, storage, files] = figures;
  const firmware = parseFirmwareId(started);
  if (firmware === undefined) throw new FlashError(EXIT_FAILED, `the board's ${FIRMWARE_ID_GLOBAL} is ${JSON.stringify(started)}, not a guillotine firmware id`);
  if (firmware.boardId !== options.bundleId.boardId || firmware.version !== options.bundleId.version || boardName !== profile.espruinoBoard) {
    throw new FlashError(EXIT_FAILED, `the board runs ${started} on ${boardName}, not the uploaded ${options.bundleId.version} for ${options.bundleId.boardId} on ${profile.espruinoBoard}`);
  }
  const leftovers = files.filter((name) => name === SAVED_CODE_FILE || name === BOOT_CODE_RESET_FILE);
  if (leftovers.length > 0 || !files.includes(BOOT_CODE_FILE)) {
    throw new FlashError(EXIT_FAILED, `Storage holds ${files.filter((name) => name.startsWith(".")).join(", ") || "no system file"}: expected ${BOOT_CODE_FILE} and neither ${SAVED_CODE_FILE} nor ${BOOT_CODE_RESET_FILE}`);
  }
  return {
    board: boardName,
    espruinoVersion,
    firmware,
    memory: { usedBlocks: memory.usage, freeBlocks: memory.free, totalBlocks: memory.total },
    storage: { usedBytes: storage.totalBytes - storage.freeBytes, freeBytes: storage.freeBytes, totalBytes: storage.totalBytes },
  };
}

function boardProblems(printed: string): string[] {
  return [...new Set(printed.match(BOARD_PROBLEMS) ?? [])];
}

function memoryProblems(printed: string): string[] {
  return boardProblems(printed).filter((line) => MEMORY_FLAGS.test(line) || /memory/i.test(line));
}

function outOfMemory(profile: BoardProfile, problems: string[]): FlashError {
  return new FlashError(EXIT_FAILED, `the firmware ran out of memory on the ${profile.name}: ${problems.join(" | ")}. It needs fewer blocks (docs/firmware.md, "Memory")`);
}

function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.after(ms, resolve));
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
  const thrown = run.boardOutput.filter((line) => /Uncaught|New interpreter error|Out of Memory|ERROR/i.test(line));
  if (thrown.length > 0) return `the board reported errors while the firmware was written: ${thrown.join(" | ")}`;
  if (!run.uploadComplete) return `the upload did not complete${run.problems.length > 0 ? ` (${run.problems.join("; ")})` : ""}: try again`;
  return undefined;
}
