/**
 * Fault injection: what can go wrong with the hardware around the firmware. Faults are only
 * ever injected here (SimulatedBoard.inject); deciding whether the firmware coped is the job
 * of checkers, which never inject anything (TigerBeetle keeps the two apart the same way).
 *
 * Relays are numbered in profile order, as in Board.setCoils: path p, relay r is 2p + r.
 * Faults marked "persistent" stay until injected again with `active: false`.
 */
import type { Clock } from "./clock.ts";
import type { Flash } from "./flash.ts";
import type { Rng } from "./rng.ts";
import type { Mcu } from "./runtime/mcu.ts";
import type { Uart } from "./runtime/uart.ts";
import type { World } from "./world/world.ts";

/** Error flags the interpreter can raise (E.getErrorFlags()). */
export type ErrorFlag = "FIFO_FULL" | "BUFFER_FULL" | "CALLBACK" | "LOW_MEMORY" | "MEMORY" | "UART_OVERFLOW";
export const ERROR_FLAGS: readonly ErrorFlag[] = ["FIFO_FULL", "BUFFER_FULL", "CALLBACK", "LOW_MEMORY", "MEMORY", "UART_OVERFLOW"];

export type Fault =
  /** Persistent. The main contact stays closed whatever the coil does; being force-guided, the
   *  mirror contact then stays open, so the feedback input reads "not released". */
  | { kind: "relay-welded"; relay: number; active?: boolean }
  /** Persistent. The coil never draws current: the relay stays released. */
  | { kind: "coil-open"; relay: number; active?: boolean }
  /** Persistent. The feedback input is held at `level` whatever the mirror contact does. */
  | { kind: "feedback-stuck"; relay: number; level: 0 | 1; active?: boolean }
  /** Supply lost now, or at board time `atMs`; stays off until powerOn(). */
  | { kind: "power-loss"; atMs?: number }
  /**
   * Supply lost in the middle of the next Storage write (to `file`, or to any file): the first
   * `afterBytes` bytes reach flash (default: a seeded random cut), the rest stay erased (0xFF),
   * and a replaced file's old copy is already gone, as on real flash.
   */
  | { kind: "power-loss-during-write"; file?: string; afterBytes?: number }
  /** The interpreter hangs: no timer, watch or data callback runs and the idle loop stops,
   *  so only the hardware watchdog (if enabled) gets the board back. */
  | { kind: "firmware-hang" }
  /** Flips `bytes` (default 1) random bytes of Storage file `file` (seeded). */
  | { kind: "flash-corruption"; file: string; bytes?: number }
  /** `bytes` random bytes arrive on `device`'s RX line (paced like real traffic). */
  | { kind: "serial-noise"; device: string; bytes: number }
  /** Persistent. Each byte crossing `device`'s line (both directions) has one bit flipped with
   *  probability `bitFlipProbability` and is lost with probability `dropProbability`. */
  | { kind: "link-errors"; device: string; bitFlipProbability?: number; dropProbability?: number; active?: boolean }
  /** The cable of `device` is pulled: nothing crosses it until "link-replugged". For "USB" the
   *  console also moves as on the real board (unless E.setConsole(..., {force:true})). */
  | { kind: "link-unplugged"; device: string }
  | { kind: "link-replugged"; device: string }
  /** Raises an interpreter error flag as if the interpreter had hit that condition. */
  | { kind: "error-flag"; flag: ErrorFlag }
  /** Persistent until injected with blocks 0: `blocks` variables are taken from the free pool
   *  (as a leak would), so process.memory() reports less free memory. */
  | { kind: "memory-pressure"; blocks: number };

export type FaultKind = Fault["kind"];

/** What injection needs from the board; SimulatedBoard implements it. */
export interface FaultTarget {
  readonly world: World;
  readonly flash: Flash;
  readonly mcu: Mcu;
  readonly clock: Clock;
  readonly rng: Rng;
  powerOff(): void;
  hangInterpreter(): void;
  raiseErrorFlag(flag: ErrorFlag): void;
  setMemoryPressure(blocks: number): void;
  serialInput(device: string, data: string): void;
}

/** Espruino's default console when USB is unplugged, if the console was not forced. */
export const CONSOLE_WITHOUT_USB = "Serial1";

function uartOf(target: FaultTarget, device: string): Uart {
  const uart = target.mcu.uart(device);
  if (uart === undefined) throw new Error(`no device ${device} on this board (have ${target.mcu.deviceNames().join(", ")})`);
  return uart;
}

/** Unplugging USB moves an unforced console away from it; plugging it in brings it back. */
function setPlugged(target: FaultTarget, device: string, plugged: boolean): void {
  const uart = uartOf(target, device);
  for (const line of [uart.txLine, uart.rxLine]) plugged ? line.plugIn() : line.unplug();
  const console = target.mcu.console;
  if (device !== "USB" || console.forced) return;
  if (!plugged && console.device === "USB") target.mcu.console = { device: CONSOLE_WITHOUT_USB, forced: false };
  if (plugged) target.mcu.console = { device: "USB", forced: false };
}

function randomBytes(rng: Rng, count: number): string {
  let data = "";
  for (let index = 0; index < count; index++) data += String.fromCharCode(rng.int(256));
  return data;
}

function injectPowerLoss(target: FaultTarget, fault: Extract<Fault, { kind: "power-loss" | "power-loss-during-write" }>): void {
  if (fault.kind === "power-loss-during-write") {
    target.flash.armTornWrite(fault.file, fault.afterBytes, () => target.powerOff());
  } else if (fault.atMs === undefined) {
    target.powerOff();
  } else {
    target.clock.setTimer(fault.atMs, () => target.powerOff(), true);
  }
}

/** Applies `fault` to the board. Throws for a fault that names something the board lacks. */
export function injectFault(target: FaultTarget, fault: Fault): void {
  const active = !("active" in fault) || fault.active !== false;
  switch (fault.kind) {
    case "relay-welded":
      return target.world.setWelded(fault.relay, active);
    case "coil-open":
      return target.world.setCoilOpen(fault.relay, active);
    case "feedback-stuck":
      return target.world.setFeedbackStuck(fault.relay, active ? fault.level : undefined);
    case "power-loss":
    case "power-loss-during-write":
      return injectPowerLoss(target, fault);
    case "firmware-hang":
      return target.hangInterpreter();
    case "flash-corruption":
      if (!target.flash.corrupt(fault.file, fault.bytes ?? 1)) throw new Error(`flash-corruption: no file ${JSON.stringify(fault.file)} in flash`);
      return;
    case "serial-noise":
      uartOf(target, fault.device);
      return target.serialInput(fault.device, randomBytes(target.rng, fault.bytes));
    case "link-errors": {
      const errors = active ? { bitFlipProbability: fault.bitFlipProbability ?? 0, dropProbability: fault.dropProbability ?? 0 } : { bitFlipProbability: 0, dropProbability: 0 };
      const uart = uartOf(target, fault.device);
      uart.txLine.setErrors(errors);
      uart.rxLine.setErrors(errors);
      return;
    }
    case "link-unplugged":
    case "link-replugged":
      return setPlugged(target, fault.device, fault.kind === "link-replugged");
    case "error-flag":
      return target.raiseErrorFlag(fault.flag);
    case "memory-pressure":
      return target.setMemoryPressure(fault.blocks);
  }
}
