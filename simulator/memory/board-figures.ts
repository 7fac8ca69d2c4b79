/**
 * A firmware bundle's memory figures on one board: the upload's peak from the code model,
 * and the blocks in use after boot measured on the simulated board (the code model plus the
 * walk of everything the running firmware holds). For the build's memory guard
 * (tools/build/memory-budget.ts), the bench and the calibration test.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { BOOT_CODE_FILE, SAVED_CODE_FILE } from "../../protocol/storage-names.ts";
import { flashCapacityBytes, provisionFlash } from "../simulation.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { INTERPRETER_BASE_BLOCKS } from "../interpreter/memory.ts";
import { estimateBundle, type CodeStore } from "./code-estimate.ts";
import { FIRMWARE_ID_GLOBAL } from "../../protocol/constants.ts";

/** The real interpreter's figures were read this long after the init handlers ran. */
export const AFTER_BOOT_MS = 5000;

/**
 * How far the model reads under the real interpreter at most, on the bundles measured both
 * ways (calibration.test.ts; docs/simulator.md): 3.0-3.9 % on today's firmware, 2.3-3.5 % on
 * fa4c001's. The build's guard keeps this much below the budget.
 */
export const MODEL_UNDERCOUNT_SHARE = 0.04;

export interface BundleFigures {
  variables: number;
  mode: CodeStore;
  /** Blocks in use at the upload's worst moment, the interpreter's own included. */
  uploadPeakBlocks: number;
  /** The upload fits: the peak is within the board's variables. */
  uploads: boolean;
  /** Blocks in use AFTER_BOOT_MS after boot with `config` in flash; undefined when the upload does not fit (the board never starts the firmware). */
  afterBootBlocks: number | undefined;
  /**
   * Why the firmware is not running after boot, as the board showed it (an uncaught error, an
   * interpreter error flag, no firmware id published); undefined when it started. A firmware
   * whose start() throws holds fewer blocks, so its figure alone would pass any budget.
   */
  notStarted: string | undefined;
}

/** Uploads `code` the way `mode` says (statements then save(), or boot code in Storage), boots with `config` provisioned (or none), and reads the memory. */
export function bundleFigures(code: string, profile: BoardProfile, mode: CodeStore, config: ControllerConfig | undefined): BundleFigures {
  const uploadPeakBlocks = INTERPRETER_BASE_BLOCKS + estimateBundle(code, { variables: profile.variables, mode }).uploadPeakBlocks;
  const uploads = uploadPeakBlocks <= profile.variables;
  if (!uploads) return { variables: profile.variables, mode, uploadPeakBlocks, uploads, afterBootBlocks: undefined, notStarted: "the upload does not fit" };
  const clock = new VirtualClock();
  const flash = new Flash({ capacityBytes: flashCapacityBytes(profile) });
  const board = new SimulatedBoard({ profile, clock, flash, seed: 1 });
  // "ram": the image save() leaves after the upload (the simulator keeps it as the statements run).
  if (mode === "ram") flash.write(SAVED_CODE_FILE, new Uint8Array(Buffer.from(JSON.stringify([code]), "utf8")));
  else flash.write(BOOT_CODE_FILE, new Uint8Array(Buffer.from(code, "latin1")));
  if (config !== undefined) provisionFlash(flash, config);
  let consoleText = "";
  board.onConsoleOutput((data) => void (consoleText += data));
  board.powerOn();
  clock.advance(AFTER_BOOT_MS);
  const snapshot = board.snapshot();
  const afterBootBlocks = snapshot.memory.usage;
  const notStarted = whyNotStarted(board, snapshot.uncaughtErrors, snapshot.errorFlags, consoleText);
  board.powerOff();
  return { variables: profile.variables, mode, uploadPeakBlocks, uploads, afterBootBlocks, notStarted };
}

function whyNotStarted(board: SimulatedBoard, uncaughtErrors: number, errorFlags: string[], consoleText: string): string | undefined {
  const uncaught = /Uncaught[^\r\n]*/.exec(consoleText);
  if (uncaught !== null || uncaughtErrors > 0) return uncaught?.[0] ?? `${uncaughtErrors} uncaught error(s)`;
  if (errorFlags.length > 0) return `interpreter error flags ${errorFlags.join(",")}`;
  if (!board.running) return "the interpreter is not running";
  const id = board.evaluate(`global.${FIRMWARE_ID_GLOBAL}`);
  if (!id.ok || typeof id.value !== "string") return `no firmware id in global.${FIRMWARE_ID_GLOBAL}: start() did not finish`;
  return undefined;
}
