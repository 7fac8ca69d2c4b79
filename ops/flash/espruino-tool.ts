/**
 * Runs the real `espruino` command-line tool (npm package espruino 0.1.67) and reads what it
 * printed, because its exit code says nothing: it exits 0 even when it never connected
 * (docs/espruino.md section 4). Used by `guillotine flash` for real boards and the simulator alike.
 *
 * It always runs with:
 * - `--no-ble`: without it the tool crashes where no Bluetooth stack exists;
 * - `-v`: the only way to see which board answered ("Found PICO_R1_3, 2v29") and how many
 *   bytes went out (for progress);
 * - `--config SERIAL_THROTTLE_SEND=1`: uploads of 512 bytes or less never finish on a USB
 *   console otherwise;
 * - `--config BOARD_JSON_URL=<dir>`: the tool fetches <url>/<BOARD>.json after connecting;
 *   a local directory holding a board JSON made from our profile keeps it off the internet
 *   (offline, an unreachable URL can hang it for minutes).
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";

/** Connecting and the tool's own start take ~2 s; a stuck port gets this long before we give up. */
export const TOOL_TIMEOUT_BASE_MS = 60_000;
/** Throttled sends go in 19-byte chunks; allow a generous 1 ms per byte on top. */
export const TOOL_TIMEOUT_MS_PER_BYTE = 1;

/** Modules every supported board has built in; listing them keeps the tool from fetching them. */
const BUILTIN_MODULES = ["Storage", "crypto"];

export interface ToolProgress {
  /** Bytes of the current send that went out. */
  sentBytes: number;
  totalBytes: number;
}

export interface ToolRun {
  /** The tool opened the port. */
  connected: boolean;
  /** process.env.BOARD and VERSION as the board reported them; undefined when it did not answer. */
  board: string | undefined;
  version: string | undefined;
  /** The tool sent everything and saw the board go quiet. */
  uploadComplete: boolean;
  /** Lines the board printed during the run (prompts stripped). */
  boardOutput: string[];
  /** Lines where the tool reported a problem. */
  problems: string[];
  timedOut: boolean;
}

export interface ToolOptions {
  port: string;
  baud: number;
  /** File to upload (reset, then every statement, as the tool does). */
  file?: string;
  /** Expression sent after the file, e.g. "save()" (with SAVE_ON_SEND it becomes part of the boot code). */
  expression?: string;
  /** More `--config KEY=VALUE` settings, e.g. "SAVE_ON_SEND=1" (the code goes to Storage as boot code). */
  config?: string[];
  /** Directory holding <BOARD>.json (writeBoardJson). */
  boardJsonDirectory: string;
  timeoutMs: number;
  onProgress?: (progress: ToolProgress) => void;
  onBoardOutput?: (line: string) => void;
}

const TOOL_PATH = createRequire(import.meta.url).resolve("espruino/bin/espruino-cli.js");
/** The tool echoes what the board prints, a whole statement at most: the cap only bounds memory, no real line is dropped. */
const OUTPUT_LINE_CHARS_MAX = 1 << 20;

/** Writes the minimal board JSON the tool loads after connecting, named as the board reports itself. */
export function writeBoardJson(directory: string, profile: BoardProfile): void {
  const json = { info: { id: profile.espruinoBoard, name: profile.name, builtin_modules: BUILTIN_MODULES } };
  writeFileSync(join(directory, `${profile.espruinoBoard}.json`), JSON.stringify(json));
}

export function runEspruinoTool(options: ToolOptions): Promise<ToolRun> {
  const args = [TOOL_PATH, "--no-ble", "-v", "-p", options.port, "-b", String(options.baud)];
  args.push("--config", "SERIAL_THROTTLE_SEND=1", "--config", `BOARD_JSON_URL=${options.boardJsonDirectory}`);
  for (const setting of options.config ?? []) args.push("--config", setting);
  if (options.file !== undefined) args.push(options.file);
  if (options.expression !== undefined) args.push("-e", options.expression);
  const run: ToolRun = { connected: false, board: undefined, version: undefined, uploadComplete: false, boardOutput: [], problems: [], timedOut: false };
  const progress: ToolProgress = { sentBytes: 0, totalBytes: 0 };
  return new Promise((resolve, reject) => {
    const tool = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => {
      run.timedOut = true;
      tool.kill("SIGKILL");
    }, options.timeoutMs);
    const onLine = (line: string) => readLine(line, run, progress, options);
    for (const stream of [tool.stdout!, tool.stderr!]) {
      const lines = new LineSplitter(onLine, OUTPUT_LINE_CHARS_MAX);
      stream.setEncoding("latin1");
      stream.on("data", (text: string) => lines.feed(text));
      stream.on("end", () => lines.end());
    }
    tool.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run the espruino tool (${TOOL_PATH}): ${error.message}`));
    });
    tool.on("close", () => {
      clearTimeout(timer);
      resolve(run);
    });
  });
}

/** Interprets one line of `espruino -v` output. */
function readLine(line: string, run: ToolRun, progress: ToolProgress, options: ToolOptions): void {
  let match: RegExpExecArray | null;
  if (line === "Connected" || line.startsWith("serial: Connected")) run.connected = true;
  else if (line === "Upload Complete") run.uploadComplete = true;
  else if ((match = /^Found ([A-Za-z0-9_]+), (\S+)$/.exec(line))) {
    run.board = match[1];
    run.version = match[2];
  } else if ((match = /^serial: ---> (".*")$/.exec(line))) {
    progress.totalBytes = decodedLength(match[1]);
    progress.sentBytes = 0;
  } else if ((match = /^serial: Sending (".*")$/.exec(line))) {
    progress.sentBytes += decodedLength(match[1]);
    options.onProgress?.({ ...progress });
  } else if ((match = /^--\] (.*)$/.exec(line))) {
    const text = match[1].replace(/^>+/, "");
    if (text !== "") {
      run.boardOutput.push(text);
      options.onBoardOutput?.(text);
    }
  } else if (isProblem(line)) run.problems.push(line);
}

const PROBLEMS = [/Unable to connect/, /RECEIVE ERROR/, /Port .* not found/, /Unable to retrieve board information/, /Prompt not detected/, /No result found for/, /Connection Error/];

function isProblem(line: string): boolean {
  return PROBLEMS.some((pattern) => pattern.test(line));
}

function decodedLength(jsonString: string): number {
  try {
    return (JSON.parse(jsonString) as string).length;
  } catch {
    return 0;
  }
}
