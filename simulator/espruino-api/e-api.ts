/**
 * The E object: watchdog, hardware random numbers, error flags, interpreter flags and the
 * byte-string helpers. Console functions are in console-api.ts, boot and reset functions in
 * lifecycle-api.ts; E.on("init"|"kill"|"errorFlag") is the generic Object.prototype.on.
 * Every other E method Espruino has throws and is recorded (kernel.unimplemented).
 */
import { bytesToBinaryString, dataToBytes } from "../interpreter/bytes.ts";
import type { Kernel } from "../interpreter/kernel.ts";
import { WRITE_REPEAT_MAX } from "./serial-api.ts";

/** E methods of Espruino 2v29 the simulator does not provide. */
export const UNIMPLEMENTED_E_METHODS = [
  "getTemperature", "getAnalogVRef", "getSizeOf", "toArrayBuffer", "toJS", "dumpStr", "dumpFragmentation",
  "dumpTimers", "dumpLockedVars", "dumpVariables", "defrag", "sum", "variance", "convolve", "FFT",
  "interpolate", "interpolate2d", "clip", "CRC32", "HSBtoRGB", "srand", "memoryArea", "setUSBHID",
  "sendUSBHID", "unmountSD", "openFile", "setTimeZone", "setDST", "asm", "compiledC", "nativeCall",
  "getAddressOf", "mapInPlace", "reverseByte", "lookupNoCase", "decodeUTF8", "setClock", "getClock",
  "getPowerUsage", "getBattery", "getRTCPrescaler", "setRTCPrescaler", "stopEventPropagation", "setComparator",
];

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** E.toString / E.toUint8Array take any number of strings, arrays, typed arrays and byte numbers. */
function flattenBytes(values: unknown[]): number[] {
  const bytes: number[] = [];
  for (const value of values) {
    if (typeof value === "number") bytes.push(value & 0xff);
    else if (typeof value === "object" && value !== null && "data" in value) {
      const repeated = flattenBytes([(value as { data: unknown }).data]);
      const count = Math.min(WRITE_REPEAT_MAX, Number((value as { count?: unknown }).count ?? 1));
      for (let round = 0; round < count; round++) bytes.push(...repeated);
    } else bytes.push(...(dataToBytes(Array.isArray(value) ? flattenBytes(value) : value) ?? []));
  }
  return bytes;
}

export function installE(kernel: Kernel): object {
  const { realm, mcu, state } = kernel;
  const E = new realm.Object();
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    enableWatchdog: (seconds, isAuto) => mcu.watchdog.enable(Number(seconds), isAuto === undefined ? true : Boolean(isAuto)),
    kickWatchdog: () => mcu.watchdog.kick(),
    hwRand: () => mcu.hwRand.nextU32() | 0,
    getErrorFlags: () => {
      const raised = kernel.toRealmArray([...state.errorFlags]);
      state.errorFlags.clear();
      return raised;
    },
    setFlags: (settings) => Object.assign(state.flags, settings),
    getFlags: () => Object.assign(new realm.Object(), state.flags),
    toString: (...values) => bytesToBinaryString(Uint8Array.from(flattenBytes(values))),
    toUint8Array: (...values) => realm.Uint8Array.from(flattenBytes(values)),
  };
  for (const [name, fn] of Object.entries(methods)) {
    define(E, name, (...args: unknown[]) => {
      kernel.checkAlive();
      return fn(...args);
    });
  }
  for (const name of UNIMPLEMENTED_E_METHODS) define(E, name, kernel.unimplemented(`E.${name}`));
  define(realm.global, "E", E);
  return E;
}
