/**
 * One call to get a simulated board for an in-process test: logs its seed first (so a failing
 * run can be replayed with the same seed), builds a board on a VirtualClock, flashes the
 * firmware bundle and provisions the configuration when given, and powers on. The tests'
 * firmware rig and the bench's simulated target stand the controller up through it.
 *
 *   const sim = createSimulation({ boardId: "PICO", seed: 42, bundlePath: "dist/firmware-PICO.js", config });
 *   sim.clock.advance(2000);
 *   expect(sim.board.snapshot().paths.every((path) => !path.conducting)).toBe(true);
 */
import { readFileSync } from "node:fs";
import { loadProfile } from "../hardware/profile.ts";
import { storedConfig, type ControllerConfig } from "../protocol/config.ts";
import { CONFIG_FILE } from "../protocol/storage-names.ts";
import type { BoardProfile } from "../hardware/profile-types.ts";
import { VirtualClock } from "./clock.ts";
import { FLASH_CAPACITY_BYTES_DEFAULT, Flash } from "./flash.ts";
import { Rng } from "./rng.ts";
import { SimulatedBoard, type SimulatedBoardOptions } from "./simulated-board.ts";

/** Storage sizes of the boards (docs/espruino.md section 3), by profile id. */
export const FLASH_CAPACITY_BYTES_BY_BOARD: Record<string, number> = {
  PICO: 48 * 1024,
  WIFI: 64 * 1024,
  ORIGINAL: 20 * 1024,
  MDBT42Q: 40 * 1024,
  PUCKJS: 40 * 1024,
  ESP32: 896 * 1024,
};

export function flashCapacityBytes(profile: BoardProfile): number {
  return FLASH_CAPACITY_BYTES_BY_BOARD[profile.id] ?? FLASH_CAPACITY_BYTES_DEFAULT;
}

export interface SimulationOptions {
  boardId: string;
  /** Default: a fresh random seed, logged. */
  seed?: number;
  /** A firmware bundle to flash before power-on (e.g. dist/firmware-PICO.js), by path or as its text. */
  bundlePath?: string;
  bundle?: string;
  /** A configuration to provision before power-on, as `guillotine provision` stores it. */
  config?: ControllerConfig;
  /** Only virtual time is offered in process; `guillotine sim` runs on a RealClock. */
  virtual?: true;
  /** Where the seed line goes. Default: console.log. */
  log?: (line: string) => void;
  /** Flash to reuse (e.g. one that survived an earlier simulated run). */
  flash?: Flash;
  relayTiming?: SimulatedBoardOptions["relayTiming"];
  baud?: number;
  cpuModel?: SimulatedBoardOptions["cpuModel"];
  /** Leave the board off (to inject faults or attach listeners before it boots). */
  powerOn?: boolean;
}

export interface Simulation {
  seed: number;
  clock: VirtualClock;
  flash: Flash;
  board: SimulatedBoard;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const seed = options.seed ?? Rng.randomSeed();
  (options.log ?? console.log)(`simulation seed=${seed} board=${options.boardId}`);
  const profile = loadProfile(options.boardId);
  const clock = new VirtualClock();
  const flash = options.flash ?? new Flash({ capacityBytes: flashCapacityBytes(profile), seed });
  const board = new SimulatedBoard({ profile, clock, flash, seed, relayTiming: options.relayTiming, baud: options.baud, cpuModel: options.cpuModel });
  const bundle = options.bundle ?? (options.bundlePath === undefined ? undefined : readFileSync(options.bundlePath, "utf8"));
  if (bundle !== undefined) board.flashBundle(bundle);
  if (options.config !== undefined) provisionFlash(flash, options.config);
  if (options.powerOn !== false) board.powerOn();
  return { seed, clock, flash, board };
}

/** Writes `config` into `flash` as provisioning leaves it: the board then boots provisioned. */
export function provisionFlash(flash: Flash, config: ControllerConfig): void {
  flash.write(CONFIG_FILE, Buffer.from(storedConfig(config), "latin1"));
}
