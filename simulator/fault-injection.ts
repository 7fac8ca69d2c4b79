/**
 * Fault injection: puts a fault of faults.ts into the world, the flash, the interpreter or a
 * line of the simulated board.
 */
import type { Clock } from "./clock.ts";
import type { ErrorFlag, Fault } from "./faults.ts";
import type { Flash } from "./flash.ts";
import type { Rng } from "./rng.ts";
import type { Mcu } from "./mcu/mcu.ts";
import type { Uart } from "./mcu/uart.ts";
import type { World } from "./world/world.ts";

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
