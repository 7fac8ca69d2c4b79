/**
 * Everything observable about a simulated board at one instant, as plain data: for tests,
 * the control socket and the bench. Built from the board's parts; changes nothing.
 */
import type { BoardProfile } from "../hardware/profile-types.ts";
import type { Flash } from "./flash.ts";
import type { Interpreter } from "./interpreter/interpreter.ts";
import type { Mcu } from "./mcu/mcu.ts";
import type { Level } from "./mcu/pins.ts";
import { INPUT_NAMES, type InputName, type ResetCause } from "./world/events.ts";
import type { World } from "./world/world.ts";

/** What the REPL needs to know about the console besides its bytes. */
export interface ConsoleState {
  /** Device the console is on ("USB", "Serial1", ...), or undefined after E.setConsole(null). */
  device: string | undefined;
  /** E.lockConsole() was called with a password set: the REPL must ask `password>` first. */
  locked: boolean;
  /** echo(false) was called: typed lines are not echoed. */
  echo: boolean;
}

export interface PinSnapshot {
  mode: string;
  /** Set by pinMode(): digitalRead/digitalWrite no longer switch the mode. */
  manual: boolean;
  level: Level;
  /** Who sets the level: the MCU's output, an external contact/switch, a pull, or nothing (reads 0). */
  source: "mcu" | "external" | "pull" | "floating";
}

export interface RelaySnapshot {
  index: number;
  path: number;
  coilPin: string;
  feedbackPin: string;
  coilEnergised: boolean;
  mainClosed: boolean;
  mirrorClosed: boolean;
  feedbackLevel: Level;
  welded: boolean;
  coilOpen: boolean;
  feedbackStuck: Level | undefined;
}

export interface BoardSnapshot {
  atMs: number;
  powered: boolean;
  /** The interpreter has stopped running callbacks (firmware-hang fault or a callback timeout). */
  hung: boolean;
  /** Hardware boots (power-on, reset pin, watchdog, E.reboot) since this board object was made. */
  bootCount: number;
  /** Every restart with its cause, soft ones (reset(), load()) included. */
  resets: { atMs: number; cause: ResetCause }[];
  pins: Record<string, PinSnapshot>;
  relays: RelaySnapshot[];
  paths: { name: string; kind: string; conducting: boolean }[];
  inputs: Record<InputName, { active: boolean; level: Level }>;
  watchdog: { enabled: boolean; timeoutMs: number; auto: boolean; lastKickMs: number | undefined };
  /** Variable blocks (simulator/interpreter/memory.ts), computed when first read; zero while off. */
  memory: { total: number; usage: number; free: number };
  console: ConsoleState;
  /** Flags raised and not yet read by E.getErrorFlags(). */
  errorFlags: string[];
  /** Espruino APIs the code called that the simulator does not implement (each threw). */
  unimplementedCalls: string[];
  /** Serial devices: baud set by setup() (undefined: not set up), cable plugged, bytes written before setup (dropped). */
  devices: Record<string, { baud: number | undefined; plugged: boolean; droppedTxBytes: number }>;
  /** Uncaught exceptions (callbacks and REPL) since this board object was made. */
  uncaughtErrors: number;
  flash: { files: string[]; freeBytes: number; writes: number; bytesWritten: number; compactions: number; hasSavedCode: boolean; hasBootCode: boolean };
}

export interface SnapshotParts {
  atMs: number;
  profile: BoardProfile;
  mcu: Mcu;
  world: World;
  flash: Flash;
  interpreter: Interpreter | undefined;
  bootCount: number;
  resets: { atMs: number; cause: ResetCause }[];
  unimplementedCalls: string[];
  uncaughtErrors: number;
  /** Computed when the snapshot's `memory` is first read: the walk of the program's data is not free. */
  memory: () => { total: number; usage: number; free: number };
  console: ConsoleState;
}

function pinsSnapshot(mcu: Mcu): Record<string, PinSnapshot> {
  const pins: Record<string, PinSnapshot> = {};
  for (const name of mcu.pins.names()) {
    pins[name] = { mode: mcu.pins.mode(name), manual: mcu.pins.isManual(name), level: mcu.pins.level(name), source: mcu.pins.source(name) };
  }
  return pins;
}

function relaysSnapshot(parts: SnapshotParts): RelaySnapshot[] {
  return parts.world.relays.map((unit) => ({
    index: unit.index,
    path: unit.path,
    coilPin: unit.pins.coil,
    feedbackPin: unit.pins.feedback,
    coilEnergised: unit.relay.coilEnergised,
    mainClosed: unit.relay.mainClosed,
    mirrorClosed: unit.relay.mirrorClosed,
    feedbackLevel: parts.mcu.pins.level(unit.pins.feedback),
    welded: unit.relay.welded,
    coilOpen: unit.relay.coilOpen,
    feedbackStuck: unit.feedbackStuck,
  }));
}

export function snapshotBoard(parts: SnapshotParts): BoardSnapshot {
  const { profile, mcu, world, flash, interpreter } = parts;
  const inputs = {} as Record<InputName, { active: boolean; level: Level }>;
  for (const input of INPUT_NAMES) inputs[input] = { active: world.inputActive(input), level: mcu.pins.level(profile.inputs[input].pin) };
  const stats = flash.stats();
  const files = flash.list();
  let memory: BoardSnapshot["memory"] | undefined;
  const snapshot: Omit<BoardSnapshot, "memory"> = {
    atMs: parts.atMs,
    powered: mcu.powered,
    hung: interpreter !== undefined && interpreter.kernel.alive && interpreter.kernel.hung,
    bootCount: parts.bootCount,
    resets: parts.resets.map((reset) => ({ ...reset })),
    pins: pinsSnapshot(mcu),
    relays: relaysSnapshot(parts),
    paths: profile.paths.map((path, index) => ({ name: path.name, kind: path.kind, conducting: world.pathConducting(index) })),
    inputs,
    watchdog: { enabled: mcu.watchdog.enabled, timeoutMs: mcu.watchdog.timeoutMs, auto: mcu.watchdog.auto, lastKickMs: mcu.watchdog.lastKickMs },
    console: parts.console,
    errorFlags: interpreter === undefined ? [] : [...interpreter.kernel.state.errorFlags],
    unimplementedCalls: [...parts.unimplementedCalls],
    devices: Object.fromEntries([...mcu.uarts.values()].map((uart) => [uart.name, { baud: uart.configuredBaud, plugged: uart.rxLine.plugged, droppedTxBytes: uart.droppedTxBytes }])),
    uncaughtErrors: parts.uncaughtErrors,
    flash: { files, freeBytes: stats.freeBytes, ...flash.wear(), hasSavedCode: files.includes(".varimg"), hasBootCode: files.includes(".bootcde") || files.includes(".bootrst") },
  };
  return Object.defineProperty(snapshot, "memory", { enumerable: true, get: () => (memory ??= parts.memory()) }) as BoardSnapshot;
}
