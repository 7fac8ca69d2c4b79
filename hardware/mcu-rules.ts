/**
 * What each MCU family allows, as far as a board profile is concerned. Kept apart from the
 * validator so adding a family means adding one entry here, not touching the checks.
 */
import type { BoardProfile } from "./profile-types.ts";

type McuFamily = BoardProfile["mcuFamily"];

export interface McuRules {
  /** Espruino device names that can carry a link ("USB" and "Bluetooth" only the ops link). */
  linkDevices: string[];
  /** Devices the Espruino console (REPL) can live on. */
  consoleDevices: string[];
  /**
   * Pins with no output driver (ESP32 GPIO34–39). Used as a coil, the LED or a TX pin they
   * would silently do nothing. They have no internal pull either, so as inputs they rely on
   * the external pull resistor every input has in the wiring (hardware/wiring/).
   */
  inputOnlyPins: string[];
  /** Why two watched pins cannot both be watched, or undefined when they can. */
  watchConflict(a: string, b: string): string | undefined;
}

/** STM32 routes external interrupts by pin number (EXTI line n serves An, Bn, Cn...). */
function stm32WatchConflict(a: string, b: string): string | undefined {
  const numberA = /^[A-H](\d+)$/.exec(a)?.[1];
  const numberB = /^[A-H](\d+)$/.exec(b)?.[1];
  if (numberA === undefined || numberA !== numberB) return undefined;
  return `STM32 has one interrupt line per pin number, so ${a} and ${b} cannot both be watched`;
}

function noWatchConflict(): undefined {
  return undefined;
}

const SERIAL_DEVICES = ["Serial1", "Serial2", "Serial3", "Serial4", "Serial5", "Serial6"];

/** Devices with no pins of their own: USB CDC and the Nordic UART service over Bluetooth LE. */
export const PINLESS_DEVICES = ["USB", "Bluetooth"];

export const MCU_RULES: Record<McuFamily, McuRules> = {
  stm32: {
    linkDevices: [...SERIAL_DEVICES, "USB"],
    consoleDevices: ["USB", ...SERIAL_DEVICES],
    inputOnlyPins: [],
    watchConflict: stm32WatchConflict,
  },
  nrf52: {
    linkDevices: ["Serial1", "Bluetooth"],
    consoleDevices: ["Bluetooth", "Serial1"],
    inputOnlyPins: [],
    watchConflict: noWatchConflict,
  },
  esp32: {
    linkDevices: ["Serial1", "Serial2", "Serial3"],
    consoleDevices: ["Serial1"],
    inputOnlyPins: ["D34", "D35", "D36", "D37", "D38", "D39"],
    watchConflict: noWatchConflict,
  },
};
