/**
 * pinMode, digitalWrite, digitalRead, getPinMode and the pin objects (one global per board
 * pin, instances of Pin), with Espruino's automatic mode switching: unless pinMode() locked
 * the pin, digitalWrite makes it an output and digitalRead makes it a plain input
 * (`digitalWrite(D2,1); digitalRead(D2)` leaves D2 an input, docs/espruino.md section 2).
 * Pins are given as pin objects or names ("B3"); arrays of pins read and write bit patterns,
 * first pin = most significant bit. Numeric pin indices fail loudly (the simulator has no
 * pin numbering).
 */
import type { Kernel } from "../interpreter/kernel.ts";
import { PIN_MODES, type Level, type PinMode } from "../mcu/pins.ts";

export interface Gpio {
  /** The board pin a value stands for; throws Espruino's error otherwise. */
  resolve(value: unknown): string;
  pinObject(name: string): object;
}

interface GpioApi {
  digitalWrite(pin: unknown, value: unknown): void;
  digitalRead(pin: unknown): number;
  pinMode(pin: unknown, mode: unknown, automatic: unknown): void;
  getPinMode(pin: unknown): string;
}

const PIN_CONSTRUCTOR = "(function (resolve) { return function Pin(value) { return resolve(value); }; })";

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function installGpio(kernel: Kernel): Gpio {
  const { realm, mcu } = kernel;
  const pins = mcu.pins;
  const names = new WeakMap<object, string>();
  const objects = new Map<string, object>();

  function resolve(value: unknown): string {
    const name = typeof value === "string" ? value : names.get(value as object);
    if (name !== undefined && pins.has(name)) return name;
    if (typeof value === "number") return kernel.unimplemented("numeric pin numbers")();
    throw kernel.error("Invalid pin!");
  }
  const Pin = (realm.run(PIN_CONSTRUCTOR, "Pin") as (fn: unknown) => { prototype: object })((value: unknown) => objects.get(resolve(value)));
  for (const name of pins.names()) {
    const pin = realm.Object.create(Pin.prototype) as object;
    names.set(pin, name);
    objects.set(name, pin);
    define(realm.global, name, pin);
  }
  kernel.pinName = (value) => (typeof value === "object" && value !== null ? names.get(value) : undefined);

  function write(pin: string, value: unknown): void {
    if (!pins.isManual(pin)) pins.setMode(pin, "output", false);
    pins.setLatch(pin, value ? 1 : 0);
  }
  function read(pin: string): Level {
    if (!pins.isManual(pin)) pins.setMode(pin, "input", false);
    return pins.level(pin);
  }
  const api: GpioApi = {
    digitalWrite(pin: unknown, value: unknown): void {
      kernel.checkAlive();
      if (!Array.isArray(pin)) return write(resolve(pin), value);
      const bits = Number(value);
      pin.forEach((item, index) => write(resolve(item), (bits >> (pin.length - 1 - index)) & 1));
    },
    digitalRead(pin: unknown): number {
      kernel.checkAlive();
      if (!Array.isArray(pin)) return read(resolve(pin));
      return pin.reduce((bits: number, item) => (bits << 1) | read(resolve(item)), 0);
    },
    pinMode(pin: unknown, mode: unknown, automatic: unknown): void {
      kernel.checkAlive();
      const name = resolve(pin);
      if (mode === undefined || mode === "auto") return pins.setMode(name, pins.mode(name), false);
      if (!PIN_MODES.includes(mode as PinMode)) throw kernel.error(`Unknown pin mode ${String(mode)}`);
      pins.setMode(name, mode as PinMode, !automatic);
    },
    getPinMode(pin: unknown): string {
      kernel.checkAlive();
      return pins.mode(resolve(pin));
    },
  };
  for (const [name, fn] of Object.entries(api)) define(realm.global, name, fn);
  define(realm.global, "Pin", Pin);
  definePinMethods(kernel, Pin.prototype, api, resolve);
  for (const name of ["digitalPulse", "analogRead", "analogWrite", "shiftOut"]) define(realm.global, name, kernel.unimplemented(name));
  return { resolve, pinObject: (name) => objects.get(name)! };
}

function definePinMethods(kernel: Kernel, prototype: object, api: GpioApi, resolve: (value: unknown) => string): void {
  const pins = kernel.mcu.pins;
  const methods: Record<string, (this: object, ...args: unknown[]) => unknown> = {
    read() { return api.digitalRead(this) === 1; },
    write(value) { api.digitalWrite(this, value); },
    set() { api.digitalWrite(this, 1); },
    reset() { api.digitalWrite(this, 0); },
    toggle() {
      const next = pins.level(resolve(this)) === 1 ? 0 : 1;
      api.digitalWrite(this, next);
      return next === 1;
    },
    mode(mode) { api.pinMode(this, mode, undefined); },
    getMode() { return api.getPinMode(this); },
    toString() { return resolve(this); },
  };
  for (const [name, fn] of Object.entries(methods)) define(prototype, name, fn);
  for (const name of ["getInfo", "analog", "writeAtomic"]) define(prototype, name, kernel.unimplemented(`Pin.${name}`));
}
