/**
 * footprint: bytes of each built firmware bundle in dist/, against the build's target and
 * limit, and its RAM on the board by the simulator's memory model (the build's own estimate,
 * tools/build/memory-budget.ts): blocks after boot and at the upload's peak.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { listProfiles, loadProfile } from "../../hardware/profile.ts";
import { BUNDLE_BYTES_MAX, BUNDLE_BYTES_TARGET } from "../../tools/build/firmware.ts";
import { AFTER_BOOT_BLOCKS_TARGET, estimateFirmwareMemory } from "../../tools/build/memory-budget.ts";

export interface FootprintBoard {
  board: string;
  bytes: number | null;
  overTargetBytes: number | null;
  variables: number;
  afterBootBlocks: number | null;
  uploadPeakBlocks: number | null;
}

export interface FootprintResult {
  trials: number;
  targetBytes: number;
  limitBytes: number;
  afterBootBlocksTarget: number;
  boards: FootprintBoard[];
}

export function footprint(distDirectory = "dist"): FootprintResult {
  const boards = listProfiles().map((board): FootprintBoard => {
    const path = `${distDirectory}/firmware-${board}.js`;
    const profile = loadProfile(board);
    if (!existsSync(path)) return { board, bytes: null, overTargetBytes: null, variables: profile.variables, afterBootBlocks: null, uploadPeakBlocks: null };
    const bytes = statSync(path).size;
    const memory = estimateFirmwareMemory(readFileSync(path, "utf8"), profile);
    return { board, bytes, overTargetBytes: Math.max(0, bytes - BUNDLE_BYTES_TARGET), variables: profile.variables, afterBootBlocks: memory.afterBootBlocks, uploadPeakBlocks: memory.uploadPeakBlocks };
  });
  return { trials: 1, targetBytes: BUNDLE_BYTES_TARGET, limitBytes: BUNDLE_BYTES_MAX, afterBootBlocksTarget: AFTER_BOOT_BLOCKS_TARGET, boards };
}
