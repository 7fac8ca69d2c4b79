/** footprint: bytes of each built firmware bundle in dist/, against the build's target and limit. */
import { existsSync, statSync } from "node:fs";
import { listProfiles } from "../../hardware/profile.ts";
import { BUNDLE_BYTES_MAX, BUNDLE_BYTES_TARGET } from "../../tools/build/firmware.ts";

export interface FootprintResult {
  trials: number;
  targetBytes: number;
  limitBytes: number;
  boards: { board: string; bytes: number | null; overTargetBytes: number | null }[];
}

export function footprint(distDirectory = "dist"): FootprintResult {
  const boards = listProfiles().map((board) => {
    const path = `${distDirectory}/firmware-${board}.js`;
    const bytes = existsSync(path) ? statSync(path).size : null;
    return { board, bytes, overTargetBytes: bytes === null ? null : Math.max(0, bytes - BUNDLE_BYTES_TARGET) };
  });
  return { trials: 1, targetBytes: BUNDLE_BYTES_TARGET, limitBytes: BUNDLE_BYTES_MAX, boards };
}
