/**
 * Where the REPL and print() go: print(), console.log(), E.setConsole(), E.getConsole(),
 * <device>.setConsole(), echo(), E.setPassword() and E.lockConsole(). `print(a, b)` joins its
 * arguments with spaces and ends the line; on the console every "\n" becomes "\r\n".
 * Only console.log exists: other console methods are not assumed to be on the board.
 */
import type { Kernel } from "../interpreter/kernel.ts";

/** E.setPassword stores at most this many characters (docs/espruino.md section 2). */
export const PASSWORD_CHARS_MAX = 20;

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** A device object or name to a device name; null/undefined to "no console". */
function deviceName(kernel: Kernel, device: unknown): string | undefined {
  if (device === null || device === undefined) return undefined;
  const name = typeof device === "string" ? device : kernel.mcu.deviceNames().find((candidate) => kernel.realm.global[candidate] === device);
  if (name === undefined || kernel.mcu.uart(name) === undefined) throw kernel.error(`${String(device)} is not a device on this board`);
  return name;
}

export function installConsole(kernel: Kernel, E: object): void {
  const { realm, mcu, state } = kernel;
  const print = (...values: unknown[]) => {
    kernel.checkAlive();
    kernel.print(values.map((value) => kernel.format(value)).join(" ") + "\n");
  };
  define(realm.global, "print", print);
  const consoleObject = new realm.Object();
  define(consoleObject, "log", print);
  define(consoleObject, "trace", kernel.unimplemented("console.trace"));
  define(realm.global, "console", consoleObject);

  const setConsole = (device: unknown, options: unknown) => {
    kernel.checkAlive();
    const force = Boolean((options as { force?: unknown } | undefined)?.force);
    mcu.console = { device: deviceName(kernel, device), forced: force };
  };
  define(E, "setConsole", setConsole);
  define(E, "getConsole", () => mcu.console.device);
  for (const name of mcu.deviceNames()) {
    define(realm.global[name] as object, "setConsole", (force: unknown) => setConsole(name, { force }));
  }
  define(realm.global, "echo", (on: unknown) => {
    kernel.checkAlive();
    state.echo = Boolean(on);
  });
  define(E, "setPassword", (password: unknown) => {
    kernel.checkAlive();
    state.password = password === undefined || password === "" ? undefined : String(password).slice(0, PASSWORD_CHARS_MAX);
  });
  define(E, "lockConsole", () => {
    kernel.checkAlive();
    if (state.password !== undefined) state.locked = true;
  });
}
