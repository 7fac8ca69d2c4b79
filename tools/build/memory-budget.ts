/**
 * The RAM a firmware bundle needs on its board, estimated with the simulator's memory model
 * (simulator/memory/, calibrated against Espruino 2v29), and the budgets it must fit:
 *
 * - after boot: the bundle installed as boot code, as `guillotine flash` installs it, on a
 *   simulated board provisioned with the largest configuration the firmware accepts (every
 *   operator and measurement slot used), read as the real interpreter was measured
 *   (simulator/memory/board-figures.ts);
 * - the upload's peak: the interpreter's own blocks plus the costliest statement
 *   the espruino tool sends in boot-code mode (one `require("Storage").write(".bootcde", ...)`
 *   of a 1 KB piece; nothing of the firmware runs while it is written).
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { largestConfig } from "../../firmware/core/test-fixture.ts";
import { estimateStatement } from "../../simulator/memory/code-estimate.ts";
import { MODEL_UNDERCOUNT_SHARE, bundleFigures } from "../../simulator/memory/board-figures.ts";
import { INTERPRETER_BASE_BLOCKS } from "../../simulator/interpreter/memory.ts";

/** The budget after boot: 25 % of a Pico, 43 % of an MDBT42Q. */
export const AFTER_BOOT_BLOCKS_TARGET = 1275;
/** What the model may estimate after boot for the board to stay within AFTER_BOOT_BLOCKS_TARGET. */
export const AFTER_BOOT_BLOCKS_MAX = Math.floor(AFTER_BOOT_BLOCKS_TARGET * (1 - MODEL_UNDERCOUNT_SHARE));
/** The upload must leave this share of the board's variables free at its worst moment. */
export const UPLOAD_SPARE_SHARE_MIN = 0.3;
/** The espruino tool's piece size in boot-code mode (SAVE_ON_SEND=1). */
export const UPLOAD_CHUNK_CHARS = 1024;

export interface MemoryEstimate {
  variables: number;
  afterBootBlocks: number;
  uploadPeakBlocks: number;
  /** Highest upload peak the board allows: (1 - UPLOAD_SPARE_SHARE_MIN) of its variables. */
  uploadPeakBlocksMax: number;
  problems: string[];
}

/** The statements the espruino tool sends to write `code` as boot code (its saveOnSend plugin). */
export function bootCodeUploadStatements(code: string): string[] {
  const statements: string[] = [];
  for (let offset = 0; offset < code.length; offset += UPLOAD_CHUNK_CHARS) {
    const piece = JSON.stringify(code.slice(offset, offset + UPLOAD_CHUNK_CHARS));
    statements.push(`require("Storage").write(".bootcde",${piece},${offset}${offset === 0 ? "," + code.length : ""});`);
  }
  return statements;
}

export function estimateFirmwareMemory(code: string, profile: BoardProfile): MemoryEstimate {
  const boot = bundleFigures(code, profile, "bootcode", largestConfig());
  const afterBootBlocks = boot.afterBootBlocks ?? profile.variables;
  const statementPeak = Math.max(...bootCodeUploadStatements(code).map((statement) => estimateStatement(statement, { variables: profile.variables, mode: "ram" }).peakBlocks));
  const uploadPeakBlocks = INTERPRETER_BASE_BLOCKS + statementPeak;
  const uploadPeakBlocksMax = Math.floor(profile.variables * (1 - UPLOAD_SPARE_SHARE_MIN));
  const problems: string[] = [];
  if (boot.notStarted !== undefined) {
    problems.push(`the firmware does not start on a simulated ${profile.name} provisioned with the largest configuration (${boot.notStarted}), so its memory figure means nothing; run \`guillotine sim --board ${profile.id}\` to see the board's console`);
  }
  if (afterBootBlocks > AFTER_BOOT_BLOCKS_MAX) {
    problems.push(`an estimated ${afterBootBlocks} blocks after boot exceeds the limit of ${AFTER_BOOT_BLOCKS_MAX} (the ${AFTER_BOOT_BLOCKS_TARGET}-block budget less the model's ${MODEL_UNDERCOUNT_SHARE * 100} % undercount); hold less state, fewer functions and methods (docs/firmware.md, "Memory")`);
  }
  if (uploadPeakBlocks > uploadPeakBlocksMax) {
    problems.push(`the upload's estimated peak of ${uploadPeakBlocks} blocks leaves less than ${UPLOAD_SPARE_SHARE_MIN * 100} % of the ${profile.variables} variables of ${profile.name} free`);
  }
  return { variables: profile.variables, afterBootBlocks, uploadPeakBlocks, uploadPeakBlocksMax, problems };
}
