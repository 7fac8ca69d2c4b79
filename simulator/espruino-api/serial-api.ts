/**
 * The serial device objects (Serial1.., USB, Bluetooth, LoopbackA/B): setup, write, print,
 * println, and "data" events through the usual `.on("data", fn)` (Object.prototype.on).
 * Received bytes reach "data" listeners from the idle loop in whatever chunks have arrived,
 * except on the console device, whose bytes go to the REPL. A baud mismatch with the peer
 * shows up as garbled bytes and "framing" events.
 */
import { FIRST_USE_SERIAL_CLASS_BLOCKS, FIRST_USE_SERIAL_DEVICE_BLOCKS, SERIAL_SETUP_BLOCKS } from "../memory/first-use.ts";
import { dataToBytes, bytesToBinaryString } from "../interpreter/bytes.ts";
import type { Gpio } from "./gpio-api.ts";
import type { Kernel } from "../interpreter/kernel.ts";
import { SETUP_BAUD_DEFAULT, type Uart } from "../mcu/uart.ts";

/** Device methods Espruino has that the simulator does not. */
const UNIMPLEMENTED_DEVICE_METHODS = ["read", "pipe", "available", "inject", "unsetup", "find", "flush"];
/** A write() of an object {data, count} repeats data at most this often. */
export const WRITE_REPEAT_MAX = 4096;

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Serial.write accepts strings, byte numbers, arrays and typed arrays of them, and {data, count}. */
function writeData(kernel: Kernel, value: unknown): string {
  if (typeof value === "number") return String.fromCharCode(value & 0xff);
  if (typeof value === "string") return value.replace(/[^\x00-\xff]/g, (char) => String.fromCharCode(char.charCodeAt(0) & 0xff));
  if (Array.isArray(value)) return value.map((item) => writeData(kernel, item)).join("");
  const bytes = dataToBytes(value);
  if (bytes !== undefined) return bytesToBinaryString(bytes);
  if (typeof value === "object" && value !== null && "data" in value) {
    const count = Math.min(WRITE_REPEAT_MAX, Number((value as { count?: unknown }).count ?? 1));
    return writeData(kernel, (value as { data: unknown }).data).repeat(Math.max(0, count));
  }
  return writeData(kernel, String(value));
}

function checkSetupOptions(kernel: Kernel, gpio: Gpio, device: string, options: Record<string, unknown>): void {
  for (const pin of [options.rx, options.tx]) if (pin !== undefined) gpio.resolve(pin);
  const unusual = (options.bytesize ?? 8) !== 8 || (options.stopbits ?? 1) !== 1 || !["none", null, undefined].includes(options.parity as string) || (options.flow ?? "none") !== "none";
  if (unusual) kernel.unimplemented(`${device}.setup() options other than 8N1 without flow control`)();
}

function setup(kernel: Kernel, gpio: Gpio, uart: Uart, baud: unknown, options: unknown): void {
  kernel.checkAlive();
  const settings = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>;
  checkSetupOptions(kernel, gpio, uart.name, settings);
  const pins = kernel.mcu.pins;
  if (settings.tx !== undefined) pins.setMode(gpio.resolve(settings.tx), "af_output", false);
  if (settings.rx !== undefined) pins.setMode(gpio.resolve(settings.rx), "input_pullup", false);
  uart.setup(Number(baud) > 0 ? Number(baud) : SETUP_BAUD_DEFAULT);
  kernel.firstUse.reach("Serial", FIRST_USE_SERIAL_CLASS_BLOCKS);
  kernel.firstUse.reach(uart.name, FIRST_USE_SERIAL_DEVICE_BLOCKS);
  kernel.firstUse.reach(`${uart.name}.setup`, SERIAL_SETUP_BLOCKS);
}

export function installSerialDevices(kernel: Kernel, gpio: Gpio): void {
  const { realm, mcu } = kernel;
  for (const uart of mcu.uarts.values()) {
    const device = new realm.Object() as Record<string, unknown>;
    const write = (...values: unknown[]) => {
      kernel.checkAlive();
      uart.write(values.map((value) => writeData(kernel, value)).join(""));
    };
    define(device, "setup", (baud: unknown, options: unknown) => setup(kernel, gpio, uart, baud, options));
    define(device, "write", write);
    define(device, "print", (value: unknown) => write(String(value)));
    define(device, "println", (value: unknown) => write(String(value) + "\r\n"));
    define(device, "toString", () => uart.name);
    for (const name of UNIMPLEMENTED_DEVICE_METHODS) define(device, name, kernel.unimplemented(`${uart.name}.${name}`));
    define(realm.global, uart.name, device);
    let framingPending = false;
    uart.events = {
      received: (atMs) => kernel.scheduleIdle(atMs),
      overflow: () => kernel.raiseFlag("FIFO_FULL"),
      framing: () => {
        if (framingPending) return;
        framingPending = true;
        kernel.enqueue(() => {
          framingPending = false;
          kernel.callListeners(device, "framing", []);
        });
      },
    };
    if (uart.pendingRxBytes > 0) kernel.scheduleIdle();
  }
}
