/**
 * A node:vm context that looks like Espruino's global scope: the ECMAScript built-ins V8 puts
 * in every context, minus what Espruino 2v29 lacks (docs/espruino.md section 1), with its error
 * objects reshaped as Espruino's are. Espruino's own APIs are added by globals.ts.
 *
 * Code run here passes the build's syntax rules first (syntax-gate.ts), so what Espruino
 * cannot parse fails with a SyntaxError. What cannot be emulated on V8, and so is left to the
 * build's bundle check: hoisting (V8 hoists, Espruino does not), per-iteration `let` in loops,
 * built-ins missing from prototypes (`Array.prototype.slice` is undefined on Espruino while
 * `[].slice` works: one object in V8), regular-expression features and `fn.name`.
 */
import vm from "node:vm";
import { instrument } from "./cpu.ts";
import { espruinoSyntaxProblem } from "./syntax-gate.ts";

/** Globals V8 provides and Espruino 2v29 does not have. */
export const REMOVED_GLOBALS = [
  "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "Proxy", "Reflect",
  "BigInt", "BigInt64Array", "BigUint64Array", "Intl", "SharedArrayBuffer", "Atomics", "WebAssembly",
  "AggregateError", "console",
] as const;

/** Static methods Espruino lacks, as [object, method]. */
export const REMOVED_STATICS = [
  ["Array", "from"], ["Array", "of"], ["Object", "freeze"], ["Object", "seal"], ["Object", "isFrozen"],
  ["Object", "isSealed"], ["Number", "isInteger"], ["Number", "isNaN"], ["Math", "trunc"],
] as const;

/** Espruino's error types: `new TypeError() instanceof Error` is false and `e.name` is undefined there. */
export const ERROR_TYPES = ["Error", "TypeError", "SyntaxError", "ReferenceError", "RangeError", "InternalError"] as const;

/** The context's own intrinsics, for building values the code inside sees as native. */
export interface Realm {
  context: vm.Context;
  global: Record<string, unknown>;
  Object: ObjectConstructor;
  Array: ArrayConstructor;
  Error: ErrorConstructor;
  TypeError: ErrorConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  Uint8Array: Uint8ArrayConstructor;
  JSON: JSON;
  /** Runs `code` in the context's global scope. */
  run(code: string, filename: string, timeoutMs?: number): unknown;
  /** Runs the microtasks (Promise callbacks) queued by code called from outside. */
  drainMicrotasks(): void;
}

const RESHAPE_ERRORS = `(function (names) {
  for (var i = 0; i < names.length; i++) {
    var name = names[i];
    if (typeof this[name] !== "function") {
      this[name] = function (message) { if (message !== undefined) this.message = String(message); };
      this[name].prototype.message = "";
    }
    var proto = this[name].prototype;
    if (name !== "Error") Object.setPrototypeOf(proto, Object.prototype);
    delete proto.name;
    Object.defineProperty(proto, "toString", { value: new Function("return '" + name + "' + (this.message ? ': ' + this.message : '');"), writable: true, configurable: true });
  }
})`;

/**
 * Date and Math.random in the context would read the host's clock and entropy and break
 * replay from a seed. Espruino's Date counts from 1970 at boot unless setTime() was called,
 * so `new Date()` and `Date.now()` follow board time from 0; Math.random draws from the seed.
 */
const DETERMINISTIC_DATE = `(function (nowMs) {
  var Native = Date;
  var BoardDate = function Date(year, month, day, hours, minutes, seconds, ms) {
    if (!(this instanceof BoardDate)) return new Native(nowMs()).toString();
    if (arguments.length === 0) return new Native(nowMs());
    if (arguments.length === 1) return new Native(year);
    return new Native(year, month, day === undefined ? 1 : day, hours || 0, minutes || 0, seconds || 0, ms || 0);
  };
  BoardDate.prototype = Native.prototype;
  Object.defineProperty(Native.prototype, "constructor", { value: BoardDate, writable: true, configurable: true });
  BoardDate.now = nowMs;
  BoardDate.parse = Native.parse;
  BoardDate.UTC = Native.UTC;
  return BoardDate;
})`;

/** Makes Date and Math.random follow board time and the board's seed. */
export function makeDeterministic(realm: Realm, nowMs: () => number, random: () => number): void {
  realm.global.Date = (vm.runInContext(DETERMINISTIC_DATE, realm.context) as (now: () => number) => unknown)(nowMs);
  (realm.global.Math as { random: () => number }).random = random;
}

/** `countTokens`: run code instrumented for the CPU-time model (cpu.ts). */
export function createRealm(options: { countTokens?: boolean } = {}): Realm {
  const context = vm.createContext({}, { microtaskMode: "afterEvaluate", codeGeneration: { strings: true, wasm: false } });
  const global = vm.runInContext("this", context) as Record<string, unknown>;
  for (const name of REMOVED_GLOBALS) delete global[name];
  for (const [object, method] of REMOVED_STATICS) delete (global[object] as Record<string, unknown>)[method];
  (vm.runInContext(RESHAPE_ERRORS, context) as (names: readonly string[]) => void).call(global, ERROR_TYPES);
  global.global = global;
  const drain = new vm.Script("undefined");
  return {
    context,
    global,
    Object: global.Object as ObjectConstructor,
    Array: global.Array as ArrayConstructor,
    Error: global.Error as ErrorConstructor,
    TypeError: global.TypeError as ErrorConstructor,
    ArrayBuffer: global.ArrayBuffer as ArrayBufferConstructor,
    Uint8Array: global.Uint8Array as Uint8ArrayConstructor,
    JSON: global.JSON as JSON,
    run: (code, filename, timeoutMs) => {
      const problem = espruinoSyntaxProblem(code);
      if (problem !== undefined) throw new (global.SyntaxError as ErrorConstructor)(problem);
      return new vm.Script(options.countTokens ? instrument(code) : code, { filename }).runInContext(context, { timeout: timeoutMs });
    },
    drainMicrotasks: () => drain.runInContext(context),
  };
}
