/**
 * Espruino's way of showing a value: what print() and console.log() write, and what the REPL
 * shows after `=`. Strings print raw at the top level and quoted inside objects; objects and
 * arrays print as `{ "a": 1 }` and `[ 1, 2 ]`; typed arrays as `new Uint8Array([1, 2])`.
 * Espruino breaks long objects over several lines; this prints them on one (approximation).
 */
import { stripInstrumentation } from "./cpu.ts";
import { isArrayBuffer } from "./bytes.ts";

/** Deeper structures print as `...`, so cycles and huge graphs cannot run away. */
export const FORMAT_DEPTH_MAX = 8;

export interface FormatOptions {
  /** Name a pin object carries (pins print as their name), or undefined for other values. */
  pinName: (value: unknown) => string | undefined;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function typedArrayName(value: ArrayBufferView): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function formatObject(value: Record<string, unknown>, options: FormatOptions, depth: number): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return "{ }";
  return "{ " + keys.map((key) => `${quote(key)}: ${formatNested(value[key], options, depth + 1)}`).join(", ") + " }";
}

function formatNested(value: unknown, options: FormatOptions, depth: number): string {
  if (typeof value === "string") return quote(value);
  return formatValue(value, options, depth);
}

/** Formats `value` the way Espruino's print shows it (top level: strings raw). */
export function formatValue(value: unknown, options: FormatOptions, depth = 0): string {
  if (value === undefined || value === null || typeof value === "number" || typeof value === "boolean" || typeof value === "string") return String(value);
  const pin = options.pinName(value);
  if (pin !== undefined) return pin;
  if (depth >= FORMAT_DEPTH_MAX) return "...";
  if (typeof value === "function") return stripInstrumentation(Function.prototype.toString.call(value));
  if (ArrayBuffer.isView(value)) return `new ${typedArrayName(value)}([${Array.from(value as unknown as ArrayLike<number>).join(", ")}])`;
  if (isArrayBuffer(value)) return `new Uint8Array([${Array.from(new Uint8Array(value)).join(", ")}]).buffer`;
  if (Array.isArray(value)) return value.length === 0 ? "[ ]" : "[ " + value.map((item) => formatNested(item, options, depth + 1)).join(", ") + " ]";
  if (typeof (value as { message?: unknown }).message === "string" && typeof (value as object).toString === "function") {
    const text = String(value);
    if (text !== "[object Object]") return text;
  }
  return formatObject(value as Record<string, unknown>, options, depth);
}

/** How Espruino reports an uncaught exception: `Uncaught Error: message`. */
export function formatUncaught(thrown: unknown, options: FormatOptions): string {
  if (typeof thrown === "string") return `Uncaught ${thrown}`;
  return `Uncaught ${formatValue(thrown, options)}`;
}
