/**
 * A firmware bundle's memory figures on one board: the upload's peak from the code model,
 * and the blocks in use after boot measured on the simulated board (the code model plus the
 * walk of everything the running firmware holds). For the build's memory guard
 * (tools/build/memory-budget.ts), the bench and the calibration test.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { encodeConfigFile, type ControllerConfig } from "../../firmware/core/config.ts";
import { VirtualClock } from "../clock.ts";
import { BOOT_CODE_FILE, Flash, SAVED_CODE_FILE } from "../flash.ts";
import { flashCapacityBytes } from "../simulation.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { INTERPRETER_BASE_BLOCKS } from "../runtime/memory.ts";
import { estimateBundle, type CodeStore } from "./code-estimate.ts";

/** The real interpreter's figures were read this long after the init handlers ran. */
export const AFTER_BOOT_MS = 5000;

export interface BundleFigures {
  variables: number;
  mode: CodeStore;
  /** Blocks in use at the upload's worst moment, the interpreter's own included. */
  uploadPeakBlocks: number;
  /** The upload fits: the peak is within the board's variables. */
  uploads: boolean;
  /** Blocks in use AFTER_BOOT_MS after boot with `config` in flash; undefined when the upload does not fit (the board never starts the firmware). */
  afterBootBlocks: number | undefined;
}

/** Uploads `code` the way `mode` says (statements then save(), or boot code in Storage), boots, and reads the memory. */
export function bundleFigures(code: string, profile: BoardProfile, mode: CodeStore, config: ControllerConfig): BundleFigures {
  const uploadPeakBlocks = INTERPRETER_BASE_BLOCKS + estimateBundle(code, { variables: profile.variables, mode }).uploadPeakBlocks;
  const uploads = uploadPeakBlocks <= profile.variables;
  if (!uploads) return { variables: profile.variables, mode, uploadPeakBlocks, uploads, afterBootBlocks: undefined };
  const clock = new VirtualClock();
  const flash = new Flash({ capacityBytes: flashCapacityBytes(profile) });
  const board = new SimulatedBoard({ profile, clock, flash, seed: 1 });
  // "ram": the image save() leaves after the upload (the simulator keeps it as the statements run).
  if (mode === "ram") flash.write(SAVED_CODE_FILE, new Uint8Array(Buffer.from(JSON.stringify([code]), "utf8")));
  else flash.write(BOOT_CODE_FILE, new Uint8Array(Buffer.from(code, "latin1")));
  flash.write("gcfg", Buffer.from(encodeConfigFile(JSON.stringify(config)), "latin1"));
  board.powerOn();
  clock.advance(AFTER_BOOT_MS);
  const afterBootBlocks = board.snapshot().memory.usage;
  board.powerOff();
  return { variables: profile.variables, mode, uploadPeakBlocks, uploads, afterBootBlocks };
}
