/**
 * require("Storage") on the board's Flash. Data goes in as Espruino converts it (strings as
 * bytes, arrays and typed arrays as bytes, other objects as JSON) and comes back as byte
 * strings. Flash errors surface as Errors with Espruino's messages; a torn write (injected
 * power loss) halts the interpreter in the middle of the call.
 */
import { bytesToBinaryString, dataToBytes } from "../interpreter/bytes.ts";
import { StorageError } from "../flash.ts";
import type { Kernel } from "../interpreter/kernel.ts";

export const UNIMPLEMENTED_STORAGE_METHODS = ["open", "hash", "debug", "optimise"];

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

function toBytes(kernel: Kernel, data: unknown): Uint8Array {
  const bytes = dataToBytes(data);
  if (bytes !== undefined) return bytes;
  if (typeof data === "object" && data !== null) return dataToBytes(kernel.realm.JSON.stringify(data))!;
  return dataToBytes(String(data))!;
}

export function createStorageModule(kernel: Kernel): object {
  const { flash } = kernel.host;
  const { realm } = kernel;
  const guarded = <T>(fn: () => T): T => {
    kernel.checkAlive();
    try {
      return fn();
    } catch (problem) {
      if (problem instanceof StorageError) throw kernel.error(problem.message);
      throw problem;
    }
  };
  const read = (name: unknown, offset?: unknown, length?: unknown): string | undefined => {
    const bytes = flash.read(String(name));
    if (bytes === undefined) return undefined;
    const start = Math.min(Math.max(0, Number(offset) || 0), bytes.length);
    const count = Number(length) > 0 ? Number(length) : bytes.length - start;
    return bytesToBinaryString(bytes.subarray(start, start + count));
  };
  const write = (name: unknown, data: unknown, offset?: unknown, size?: unknown): boolean => {
    const isObject = typeof data === "object" && data !== null && !Array.isArray(data) && dataToBytes(data) === undefined;
    return flash.write(String(name), toBytes(kernel, data), isObject ? 0 : Number(offset) || 0, isObject ? 0 : Number(size) || 0);
  };
  const methods: Record<string, (...args: unknown[]) => unknown> = {
    read,
    readJSON: (name, noExceptions) => {
      const text = read(name);
      if (text === undefined) return undefined;
      try {
        return realm.JSON.parse(text);
      } catch (problem) {
        if (noExceptions) return undefined;
        throw problem;
      }
    },
    readArrayBuffer: (name) => {
      const bytes = flash.read(String(name));
      return bytes === undefined ? undefined : realm.Uint8Array.from(bytes).buffer;
    },
    write,
    writeJSON: (name, data) => write(name, realm.JSON.stringify(data)),
    erase: (name) => flash.erase(String(name)),
    eraseAll: () => flash.eraseAll(),
    list: (pattern) => kernel.toRealmArray(flash.list().filter((name) => pattern === undefined || name.match(pattern as RegExp) !== null)),
    compact: () => flash.compact(),
    getFree: () => flash.stats().freeBytes,
    getStats: () => Object.assign(new realm.Object(), flash.stats()),
  };
  const storage = new realm.Object();
  for (const [name, fn] of Object.entries(methods)) define(storage, name, (...args: unknown[]) => guarded(() => fn(...args)));
  for (const name of UNIMPLEMENTED_STORAGE_METHODS) define(storage, name, kernel.unimplemented(`Storage.${name}`));
  return storage;
}
