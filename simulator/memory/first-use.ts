/**
 * Blocks Espruino spends the first time a program reaches a built-in, and keeps until the
 * interpreter restarts: the built-in's own object (a constructor with its prototype, a module,
 * a serial device and its settings). A second use costs nothing more. Measured on 2v29 (32-bit
 * build, 13-byte blocks) as the first use's cost less the second's, each reading after a
 * collection: a `new Uint8Array(100)` costs 20 blocks the first time and 12 after, `/a/.test()`
 * 8 then 0, `Serial1.setup()` 10 per device (11 on the Linux build, which also stores a path).
 */

/** Globals whose first read makes their object. */
export const FIRST_USE_GLOBAL_BLOCKS: Readonly<Record<string, number>> = {
  Uint8Array: 8, Uint8ClampedArray: 8, Int8Array: 8, Uint16Array: 8, Int16Array: 8, Uint32Array: 8, Int32Array: 8,
  Float32Array: 8, Float64Array: 8, ArrayBuffer: 8, DataView: 8, Error: 8,
  Array: 3, String: 3, Number: 3, Math: 2,
};
/** The RegExp prototype, made by the first regular expression that runs (a literal needs no global read). */
export const FIRST_USE_REGEXP_BLOCKS = 8;
/** require() of a built-in module: its object. */
export const FIRST_USE_MODULE_BLOCKS: Readonly<Record<string, number>> = { crypto: 6, Storage: 3 };
/** The serial devices' shared prototype, made with the first device a program sets up. */
export const FIRST_USE_SERIAL_CLASS_BLOCKS = 8;
/** One serial device's object. */
export const FIRST_USE_SERIAL_DEVICE_BLOCKS = 5;
/** The baud rate and options a device's setup() stores on it. */
export const SERIAL_SETUP_BLOCKS = 10;

/** What one interpreter run has reached so far, and what that holds. */
export class FirstUse {
  private readonly charged = new Map<string, number>();

  /** Charges `blocks` the first time `what` is reached in this run; later uses are free. */
  reach(what: string, blocks: number): void {
    if (!this.charged.has(what)) this.charged.set(what, blocks);
  }

  get blocks(): number {
    let total = 0;
    for (const blocks of this.charged.values()) total += blocks;
    return total;
  }

  /**
   * Makes each global of FIRST_USE_GLOBAL_BLOCKS charge its cost when first read, and regular
   * expressions when one first runs. Call after the realm's built-ins are recorded: the
   * globals become accessors, whose descriptors no longer hold the value.
   */
  watch(global: Record<string, unknown>): void {
    for (const [name, blocks] of Object.entries(FIRST_USE_GLOBAL_BLOCKS)) {
      const descriptor = Object.getOwnPropertyDescriptor(global, name);
      if (descriptor === undefined || !("value" in descriptor)) continue;
      let value = descriptor.value as unknown;
      Object.defineProperty(global, name, {
        configurable: true,
        enumerable: descriptor.enumerable,
        get: () => {
          this.reach(name, blocks);
          return value;
        },
        set: (replacement: unknown) => void (value = replacement),
      });
    }
    const prototype = (global.RegExp as RegExpConstructor).prototype;
    for (const method of ["exec", "test"] as const) {
      const original = prototype[method] as (this: RegExp, text: string) => unknown;
      const reach = () => this.reach("RegExp", FIRST_USE_REGEXP_BLOCKS);
      Object.defineProperty(prototype, method, {
        configurable: true,
        writable: true,
        enumerable: false,
        value: function (this: RegExp, text: string) {
          reach();
          return original.call(this, text);
        },
      });
    }
  }
}
