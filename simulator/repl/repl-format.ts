/**
 * Espruino's way of writing a value on the console: the REPL's `=value` line and the text of an
 * uncaught error. Values may come from another realm (a node:vm context), so nothing here uses
 * `instanceof`; it looks at typeof, Array.isArray and Object.prototype.toString instead.
 *
 * Espruino prints with JSON_PRETTY | JSON_SOME_NEWLINES | JSON_DROP_QUOTES: spaces inside
 * brackets (`[ 1, 2 ]`, `{ a: 1 }`), identifier keys unquoted, and one entry per line once a
 * value gets long.
 */
import { stripInstrumentation } from "../interpreter/cpu.ts";

/** Past this many characters on one line a structure is printed one entry per line. */
export const FORMAT_LINE_CHARS_MAX = 60;
/** Deeper structures print as `{ ... }`, as Espruino's JSON_LIMIT cuts them. */
export const FORMAT_DEPTH_MAX = 8;
/** Arrays longer than this print their head and tail around ` ... `, like JSON_LIMIT. */
export const FORMAT_ARRAY_ITEMS_MAX = 100;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The text after `=` for a REPL result. */
export function formatValue(value: unknown): string {
  return format(value, 0, new Set());
}

/** The text after `Uncaught ` for a thrown value: `Error: msg`, or the value itself. */
export function formatThrown(thrown: unknown): string {
  if (typeof thrown === "string") return thrown;
  if (thrown !== null && typeof thrown === "object" && "message" in thrown) {
    const error = thrown as { name?: unknown; message?: unknown };
    const name = typeof error.name === "string" && error.name !== "" ? error.name : "Error";
    return `${name}: ${String(error.message)}`;
  }
  return formatValue(thrown);
}

function format(value: unknown, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return quote(value);
    case "number":
    case "boolean":
      return String(value);
    case "bigint":
      return value.toString();
    case "symbol":
      return value.toString();
    case "function":
      return formatFunction(value);
  }
  if (value === null) return "null";
  const object = value as object;
  if (seen.has(object) || depth >= FORMAT_DEPTH_MAX) return Array.isArray(object) ? "[ ... ]" : "{ ... }";
  seen.add(object);
  try {
    return formatObject(object, depth, seen);
  } finally {
    seen.delete(object);
  }
}

function formatObject(object: object, depth: number, seen: Set<object>): string {
  const tag = Object.prototype.toString.call(object).slice(8, -1);
  if (ArrayBuffer.isView(object) && tag !== "DataView") {
    const items = Array.prototype.slice.call(object as unknown as ArrayLike<number>) as number[];
    return `new ${tag}([${items.join(", ")}])`;
  }
  if (tag === "ArrayBuffer") {
    return `new Uint8Array([${Array.from(new Uint8Array(object as ArrayBuffer)).join(", ")}]).buffer`;
  }
  // Pin objects print as their name (`=B3`), as Espruino's JSON_SHOW_DEVICES does.
  if ((Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null)?.constructor?.name === "Pin") return String(object);
  if (tag === "Date") return `Date: ${(object as Date).toString()}`;
  if (tag === "Error") return formatThrown(object);
  if (Array.isArray(object)) {
    return layout("[", "]", arrayEntries(object, depth, seen), depth);
  }
  const entries = Object.keys(object).map((key) => {
    const name = IDENTIFIER.test(key) ? key : quote(key);
    return `${name}: ${format((object as Record<string, unknown>)[key], depth + 1, seen)}`;
  });
  return layout("{", "}", entries, depth);
}

function arrayEntries(array: unknown[], depth: number, seen: Set<object>): string[] {
  const formatOne = (item: unknown) => format(item, depth + 1, seen);
  if (array.length <= FORMAT_ARRAY_ITEMS_MAX) return array.map(formatOne);
  const half = FORMAT_ARRAY_ITEMS_MAX / 2;
  return [...array.slice(0, half).map(formatOne), "...", ...array.slice(-half).map(formatOne)];
}

/** `[ a, b ]` on one line when short and flat, else one entry per line indented by depth. */
function layout(open: string, close: string, entries: string[], depth: number): string {
  if (entries.length === 0) return `${open} ${close}`;
  const oneLine = `${open} ${entries.join(", ")} ${close}`;
  if (oneLine.length <= FORMAT_LINE_CHARS_MAX && !oneLine.includes("\n")) return oneLine;
  const indent = "  ".repeat(depth + 1);
  return `${open}\n${entries.map((entry) => indent + entry).join(",\n")}\n${"  ".repeat(depth)}${close}`;
}

function formatFunction(fn: Function): string {
  const source = stripInstrumentation(Function.prototype.toString.call(fn));
  if (source.includes("[native code]")) return "function () { [native code] }";
  // Espruino shows an anonymous `function (args) { body }` whatever the declared name.
  return source.replace(/^function\s*[A-Za-z0-9_$]*\s*\(/, "function (");
}

/** A double-quoted string with Espruino's escapes (`\xNN` for other control bytes). */
function quote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === "\\") out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += char;
  }
  return out + '"';
}
