/**
 * Things that happen in the simulated world, with the board time they happened at. Checkers
 * and the bench subscribe to these (SimulatedBoard.onWorldEvent) instead of polling pin
 * levels, so "coil de-energised at t" and "contact open at t" are exact, not sampled.
 */
import type { Fault } from "../faults.ts";

export type InputName = "estop" | "tamper" | "arm" | "maintenance";
export const INPUT_NAMES: readonly InputName[] = ["estop", "tamper", "arm", "maintenance"];

/**
 * Why the board (re)started. "power-on": supply applied; "reset-pin": SimulatedBoard.reset();
 * "watchdog": the hardware watchdog bit; "software": E.reboot(). Soft interpreter resets
 * (reset(), load()) do not restart the chip and are reported as "interpreter-reset" / "load".
 */
export type ResetCause = "power-on" | "reset-pin" | "watchdog" | "software" | "interpreter-reset" | "load";

export type WorldEvent =
  /** The coil of relay `relay` (profile order, as in Board.setCoils) gained or lost current. */
  | { type: "coil"; atMs: number; relay: number; energised: boolean }
  /** A contact moved. Bounce shows up as several events within the bounce time. */
  | { type: "contact"; atMs: number; relay: number; contact: "main" | "mirror"; closed: boolean }
  /** Path `path` (profile order) started or stopped conducting (both series contacts closed). */
  | { type: "path"; atMs: number; path: number; name: string; conducting: boolean }
  | { type: "input"; atMs: number; input: InputName; active: boolean }
  | { type: "power"; atMs: number; on: boolean }
  /** The interpreter started running (after a hardware or soft reset). */
  | { type: "boot"; atMs: number; cause: ResetCause; bootCount: number }
  | { type: "fault"; atMs: number; fault: Fault }
  /** An exception escaped a callback or a REPL statement; the text is what the console showed. */
  | { type: "uncaught"; atMs: number; text: string }
  /** The firmware touched an Espruino API the simulator does not implement (it threw). */
  | { type: "unimplemented"; atMs: number; api: string }
  /** A bit was set in E.getErrorFlags() (e.g. "FIFO_FULL", "LOW_MEMORY"). */
  | { type: "error-flag"; atMs: number; flag: string };

export type WorldEventListener = (event: WorldEvent) => void;
