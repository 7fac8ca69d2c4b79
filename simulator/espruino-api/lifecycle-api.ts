/**
 * save(), reset(), load(), E.setBootCode(), E.reboot(), require() and getTime().
 * save(), reset() and load() only take effect when the interpreter returns to idle
 * (`a=1;save();a=2;` saves a=2). 2v29's save() throws while boot code exists.
 * E.reboot() runs the "kill" handlers and resets the chip at once; nothing after it runs.
 */
import { FIRST_USE_MODULE_BLOCKS } from "../memory/first-use.ts";
import { BOOT_CODE_FILE, BOOT_CODE_RESET_FILE, SAVED_CODE_FILE } from "../../protocol/storage-names.ts";
import { binaryStringToBytes } from "../interpreter/bytes.ts";
import { createCryptoModule } from "./crypto-module.ts";
import { HaltError, type Kernel } from "../interpreter/kernel.ts";
import { createStorageModule } from "./storage-module.ts";

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function installLifecycle(kernel: Kernel, E: object): void {
  const { realm, state, host } = kernel;
  const flash = host.flash;
  const modules: Record<string, () => object> = {};
  const cache: Record<string, object> = {};
  modules.Storage = () => createStorageModule(kernel);
  modules.crypto = () => createCryptoModule(kernel);

  define(realm.global, "require", (name: unknown) => {
    kernel.checkAlive();
    const key = String(name);
    if (modules[key] === undefined) {
      host.recordUnimplemented(`require("${key}")`);
      throw kernel.error(`Module ${key} not found`);
    }
    kernel.firstUse.reach(`require("${key}")`, FIRST_USE_MODULE_BLOCKS[key] ?? 0);
    return (cache[key] ??= modules[key]());
  });
  define(realm.global, "getTime", () => {
    kernel.checkAlive();
    return kernel.nowSeconds();
  });
  define(realm.global, "save", () => {
    kernel.checkAlive();
    if (state.restoring) return;
    if (flash.has(BOOT_CODE_FILE) || flash.has(BOOT_CODE_RESET_FILE)) throw kernel.error("Can't save() while boot code exists (E.setBootCode). Use E.setBootCode() to clear it");
    state.todo.add("save");
  });
  define(realm.global, "reset", (clearFlash: unknown) => {
    kernel.checkAlive();
    if (state.restoring) return;
    if (clearFlash) for (const file of [SAVED_CODE_FILE, BOOT_CODE_FILE, BOOT_CODE_RESET_FILE]) flash.erase(file);
    state.todo.add("reset");
  });
  define(realm.global, "load", (filename: unknown) => {
    kernel.checkAlive();
    if (filename !== undefined) return kernel.unimplemented("load(filename)")();
    if (!state.restoring) state.todo.add("load");
  });
  define(E, "setBootCode", (code: unknown, alwaysExec: unknown) => {
    kernel.checkAlive();
    flash.erase(BOOT_CODE_FILE);
    flash.erase(BOOT_CODE_RESET_FILE);
    if (code === undefined || String(code).length === 0) return;
    flash.write(alwaysExec ? BOOT_CODE_RESET_FILE : BOOT_CODE_FILE, binaryStringToBytes(String(code)));
  });
  define(E, "reboot", () => {
    kernel.checkAlive();
    kernel.callListeners(E, "kill", []);
    host.reboot();
    throw new HaltError();
  });
  for (const name of ["dump", "edit", "trace", "peek8", "peek16", "peek32", "poke8", "poke16", "poke32", "setBusyIndicator", "setSleepIndicator", "setDeepSleep", "getSerial", "setTime"]) {
    define(realm.global, name, kernel.unimplemented(name));
  }
  for (const name of ["SPI1", "SPI2", "SPI3", "I2C1", "I2C2", "I2C3", "SPI", "I2C", "OneWire", "Waveform"]) {
    define(realm.global, name, kernel.unimplementedObject(name));
  }
}
