/**
 * The firmware build CLI:
 *   tsx tools/build/build.ts --board PICO [--board WIFI] [--json]
 *   tsx tools/build/build.ts --all [--json]
 * Writes dist/firmware-<BOARD>.js for each board whose firmware passes the Espruino checker
 * and the byte budget, prints one line per board, and exits 1 when any board fails. A failed
 * board's old dist file is deleted so that nothing stale can be flashed.
 */
import { mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { listProfiles, loadProfile } from "../../hardware/profile.ts";
import { BUNDLE_BYTES_MAX, BUNDLE_BYTES_TARGET, compileFirmware } from "./firmware.ts";
import { AFTER_BOOT_BLOCKS_MAX, AFTER_BOOT_BLOCKS_TARGET, estimateFirmwareMemory, type MemoryEstimate } from "./memory-budget.ts";

export { buildFirmware } from "./firmware.ts";

const DIST_DIRECTORY = new URL("../../dist/", import.meta.url);
const USAGE = "usage: tsx tools/build/build.ts (--board <ID> ... | --all) [--json]";

/** What the build reports for one board, also the shape of `--json` output. */
export interface BoardResult {
  board: string;
  file: string;
  /** Null when the firmware did not compile. */
  bytes: number | null;
  budgetBytes: number;
  /** The simulator's estimate of the board's RAM (variable blocks); null when the firmware did not compile. */
  memory: MemoryEstimate | null;
  /** Empty when the file was written. */
  problems: string[];
}

/** Builds every requested board; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let request: { boards: string[]; json: boolean };
  try {
    request = parseRequest(argv);
  } catch (error) {
    console.error(`build: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const results: BoardResult[] = [];
  for (const board of request.boards) results.push(await buildBoard(board));
  const ok = results.every((result) => result.problems.length === 0);
  if (request.json) {
    console.log(JSON.stringify({ ok, boards: results }, null, 2));
  } else {
    for (const result of results) printResult(result);
  }
  return ok ? 0 : 1;
}

function parseRequest(argv: string[]): { boards: string[]; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { board: { type: "string", multiple: true }, all: { type: "boolean" }, json: { type: "boolean" } },
  });
  const named = values.board ?? [];
  if (values.all && named.length > 0) throw new Error("give either --board or --all, not both");
  const boards = values.all ? listProfiles() : named;
  if (boards.length === 0) throw new Error(values.all ? "no profiles in hardware/profiles/" : "name a board with --board or use --all");
  return { boards, json: values.json ?? false };
}

/** Compiles, checks and writes one board's firmware; a compile error becomes a problem. */
async function buildBoard(board: string): Promise<BoardResult> {
  const file = `firmware-${board}.js`;
  const path = new URL(file, DIST_DIRECTORY);
  try {
    const firmware = await compileFirmware(board);
    const memory = estimateFirmwareMemory(firmware.code, loadProfile(board));
    firmware.problems.push(...memory.problems.map((problem) => `${file}: ${problem}`));
    if (firmware.problems.length === 0) {
      mkdirSync(DIST_DIRECTORY, { recursive: true });
      writeFileSync(path, firmware.code);
    } else {
      rmSync(path, { force: true });
    }
    return { board, file, bytes: firmware.bytes, budgetBytes: BUNDLE_BYTES_MAX, memory, problems: firmware.problems };
  } catch (error) {
    rmSync(path, { force: true });
    return { board, file, bytes: null, budgetBytes: BUNDLE_BYTES_MAX, memory: null, problems: [`${file}: cannot compile: ${(error as Error).message}`] };
  }
}

function printResult(result: BoardResult): void {
  const over = result.bytes !== null && result.bytes > BUNDLE_BYTES_TARGET ? `, ${(result.bytes - BUNDLE_BYTES_TARGET).toLocaleString("en-US")} OVER the ${BUNDLE_BYTES_TARGET.toLocaleString("en-US")}-byte target` : "";
  const budget = `(limit ${result.budgetBytes.toLocaleString("en-US")}${over})`;
  const size = result.bytes === null ? budget : `${result.bytes.toLocaleString("en-US")} bytes  ${budget}`;
  const ram = result.memory === null ? "" : `\n  ${describeMemory(result.memory)}`;
  if (result.problems.length === 0) {
    console.log(`${result.file}  ${size}${ram}`);
    return;
  }
  console.error(`${result.file}  ${size}  FAILED, not written:${ram}`);
  for (const problem of result.problems) console.error(`  ${problem}`);
}

function describeMemory(memory: MemoryEstimate): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return `RAM (estimate, of ${n(memory.variables)} blocks): ${n(memory.afterBootBlocks)} after boot (limit ${n(AFTER_BOOT_BLOCKS_MAX)}: the ${n(AFTER_BOOT_BLOCKS_TARGET)}-block budget less the model's error); upload peak ${n(memory.uploadPeakBlocks)} (limit ${n(memory.uploadPeakBlocksMax)})`;
}

/** Run only when invoked as a script, so tests can import buildFirmware without building. */
function isMainModule(): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(realpathSync(script)).href === import.meta.url;
}

if (isMainModule()) process.exitCode = await main(process.argv.slice(2));
