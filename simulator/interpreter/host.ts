/**
 * What an interpreter needs from the board that runs it. The board implements this; the
 * interpreter never reaches the board any other way.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { Clock } from "../clock.ts";
import type { Flash } from "../flash.ts";
import type { WorldEvent } from "../world/events.ts";
import type { Mcu } from "../mcu/mcu.ts";

/** The REPL line discipline as the interpreter feeds it (see simulated-board.ts). */
export interface ConsoleLineDiscipline {
  /** Bytes that arrived on the console device, in arrival order and arbitrary chunks. */
  input(data: string): void;
  /** The interpreter restarted (boot, reset(), load()): drop any half-typed line. */
  interpreterRestarted(): void;
  /** Optional: the interpreter is about to print to the console outside a REPL statement (a timer's print, an uncaught error): take the prompt and half-typed line off the screen. */
  removeInputLine?(): void;
  /** Optional: a callback that printed to the console has finished: put the prompt and line back. */
  returnInputLine?(): void;
}

export interface InterpreterHost {
  readonly profile: BoardProfile;
  readonly clock: Clock;
  readonly flash: Flash;
  readonly mcu: Mcu;
  /** Wall-clock limit for one callback; exceeding it counts as a firmware hang. Undefined: no limit. */
  readonly callbackTimeoutMs: number | undefined;
  /** Wall-clock limit for one REPL statement or boot script; beyond it counts as Ctrl-C. */
  readonly evalTimeoutMs: number;
  /** Charge CPU time for the work callbacks do (cpu.ts); off: an infinitely fast board. */
  readonly cpuModel: boolean;
  /** Variable blocks taken by the memory-pressure fault. */
  memoryPressureBlocks(): number;
  emit(event: WorldEvent): void;
  recordUnimplemented(api: string): void;
  repl(): ConsoleLineDiscipline | undefined;
  /** reset() or load() reached the idle loop: replace the interpreter. */
  softRestart(kind: "reset" | "load"): void;
  /** E.reboot(): a hardware reset. */
  reboot(): void;
}
