/**
 * The data part of the simulated board's memory: every value the running program can still
 * reach, priced with Espruino's storage rules (layout.ts). process.memory() adds it to the
 * code part (code-estimate.ts) and the interpreter's own base.
 *
 * The roots are what Espruino's root holds: non-built-in globals, event listeners, timers and
 * watches. A bundle keeps its state in the closure of its outer function, which no property
 * walk can see, so the walk reads each function's closure scopes through V8's inspector
 * (node:inspector, in process and synchronous) and walks the variables found there as well.
 *
 * Counted once per value (a second reference costs only the name that holds it):
 * - strings as chained strings; numbers inside their name when small integers, else a block;
 * - objects and arrays: a block, then a name per property or element and its value; objects
 *   made with `new` also carry a link to their prototype;
 * - typed arrays: view, buffer and data;
 * - functions and classes the top-level statements defined: already in the code part, so
 *   only what their scopes hold is walked; functions made at run time (closures) cost their
 *   block, parameters, code (from their source text) and scope link here;
 * - a scope made at run time: a block and a name per variable; the scopes of top-level
 *   definitions had their names counted with the code.
 * V8 keeps in a closure only the variables some inner function uses, where Espruino keeps
 * the whole scope: variables no function uses are missing from the walk (their names are
 * still in the code part).
 */
import inspector from "node:inspector";
import { stripInstrumentation } from "../interpreter/cpu.ts";
import { functionValueBlocks } from "./code-estimate.ts";
import { LISTENER_BLOCKS, instanceOverheadBlocks, isInlineInt, nameBlocks, stringBlocks, typedArrayBlocks, type BlockLayout } from "./layout.ts";

/**
 * What Espruino's bookkeeping costs besides the callback itself, measured on 2v29 (the second
 * of each kind, so without the lists the first one creates; memory-calibration.tsv):
 * a setTimeout 5 blocks, a setInterval 7, a setWatch 11 (an event listener: LISTENER_BLOCKS).
 */
export const TIMEOUT_BLOCKS = 5;
export const INTERVAL_BLOCKS = 7;
export const WATCH_BLOCKS = 11;
/** A watch with a debounce time stores it too: 14 blocks, measured on 2v29 (`{repeat:true, edge:"both", debounce:5}`). */
export const WATCH_DEBOUNCE_BLOCKS = 3;
/**
 * A built-in function read into a variable or property (`x = E.hwRand`): Espruino makes a
 * native-function variable for it, one block holding the function's address (src/jsvar.c,
 * jsvNewNativeFunction); not measured on a board.
 */
export const NATIVE_FUNCTION_BLOCKS = 1;
/** The walk stops after this many values, so a huge graph cannot stall the simulation. */
export const WALK_VALUES_MAX = 100_000;

export interface HeapRoots {
  /** Globals the program made: name and value. */
  globals: [string, unknown][];
  listeners: unknown[];
  /** Each timer's callback and arguments, and whether it repeats. */
  timers: { values: unknown[]; repeat: boolean }[];
  /** Each watch's callback, and whether it debounces. */
  watches: { fn: unknown; debounced: boolean }[];
}

export interface HeapContext {
  layout: BlockLayout;
  variables: number;
  /** Built-in values (counted in the interpreter's base). */
  builtIns: Set<unknown>;
  /** Source text of functions the code part counted, with how many (CodeEstimator.definedFunctions). */
  definedFunctions: Map<string, number>;
  /** Globals whose names the code part counted (CodeEstimator.globalNames). */
  globalNames: Set<string>;
  /** Text run as boot code: functions whose source is in it keep their code in flash. */
  bootCode: string;
  pretokenise: boolean;
  /** Prototypes of plain objects and arrays in the program's realm (no prototype link counted). */
  plainPrototypes: Set<unknown>;
  scopes: ScopeReader;
  /** Blocks of functions made at run time, by depth and source text (kept between walks). */
  functionCosts: Map<string, number>;
}


/** Blocks of the data the program can reach from `roots`. */
export function heapDataBlocks(roots: HeapRoots, context: HeapContext): number {
  const walk = new Walk(context);
  let blocks = 0;
  for (const [name, value] of roots.globals) blocks += (context.globalNames.has(name) ? 0 : nameBlocks(context.layout, name.length)) + walk.valueBlocks(value);
  for (const listener of roots.listeners) blocks += LISTENER_BLOCKS + walk.valueBlocks(listener);
  for (const timer of roots.timers) blocks += (timer.repeat ? INTERVAL_BLOCKS : TIMEOUT_BLOCKS) + timer.values.reduce<number>((sum, value) => sum + walk.valueBlocks(value), 0);
  for (const watch of roots.watches) blocks += WATCH_BLOCKS + (watch.debounced ? WATCH_DEBOUNCE_BLOCKS : 0) + walk.valueBlocks(watch.fn);
  return blocks + walk.drain();
}

class Walk {
  private readonly seen = new Set<unknown>();
  private readonly pending: unknown[] = [];
  /** Scopes found and not yet counted: whether one was reached from a top-level definition (its names were counted with the code). */
  private readonly foundScopes = new Map<string, boolean>();
  private readonly countedScopes = new Set<string>();
  /** Functions of each text still to be found that the code part counted. */
  private readonly declaredLeft = new Map<string, number>();

  constructor(private readonly context: HeapContext) {}

  /** Blocks of `value` as held by a name; objects are queued and counted once. */
  valueBlocks(value: unknown): number {
    const { layout } = this.context;
    if (value === undefined) return 0;
    if (typeof value === "number") return isInlineInt(layout, value) ? 0 : 1;
    if (typeof value === "string") return stringBlocks(layout, value.length);
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return 1;
    // A reference to one of the interpreter's functions is a native-function variable of its own.
    if (this.context.builtIns.has(value)) return typeof value === "function" ? NATIVE_FUNCTION_BLOCKS : 0;
    if (!this.seen.has(value)) {
      this.seen.add(value);
      this.pending.push(value);
    }
    return 0;
  }

  /** Counts every queued object and every scope found on the way. */
  drain(): number {
    let blocks = 0;
    while (this.pending.length > 0 && this.seen.size < WALK_VALUES_MAX) {
      const value = this.pending.pop() as object;
      blocks += typeof value === "function" ? this.functionBlocks(value as (...args: unknown[]) => unknown) : this.objectBlocks(value);
      if (this.pending.length === 0) blocks += this.scopeBlocks();
    }
    return blocks;
  }

  private objectBlocks(value: object): number {
    const { layout } = this.context;
    if (ArrayBuffer.isView(value)) return typedArrayBlocks(layout, value.byteLength);
    let blocks = 1 + (this.context.plainPrototypes.has(Object.getPrototypeOf(value)) ? 0 : instanceOverheadBlocks(layout));
    for (const key of Object.keys(value)) blocks += nameBlocks(layout, key.length) + this.valueBlocks(ownValue(value, key));
    return blocks;
  }

  private functionBlocks(fn: (...args: unknown[]) => unknown): number {
    const text = stripInstrumentation(Function.prototype.toString.call(fn));
    // As many functions of this text as the code part counted are already paid for.
    const counted = this.declaredLeft.get(text) ?? this.context.definedFunctions.get(text) ?? 0;
    const declared = counted > 0;
    if (declared) this.declaredLeft.set(text, counted - 1);
    if (text.endsWith("{ [native code] }")) return 0;
    const scopes = this.context.scopes.scopesOf(fn);
    for (const key of scopes) if (!this.countedScopes.has(key)) this.foundScopes.set(key, declared || (this.foundScopes.get(key) ?? false));
    if (declared) return 0;
    const { layout } = this.context;
    let blocks = this.costOf(text, scopes.length);
    for (const key of Object.keys(fn)) blocks += nameBlocks(layout, key.length) + this.valueBlocks(ownValue(fn, key));
    return blocks;
  }

  private costOf(text: string, depth: number): number {
    const key = `${depth}:${text}`;
    const { variables, bootCode, pretokenise, functionCosts } = this.context;
    let cost = functionCosts.get(key);
    if (cost === undefined) {
      cost = functionValueBlocks(text, { variables, depth, flash: bootCode.includes(text), pretokenise });
      functionCosts.set(key, cost);
    }
    return cost;
  }

  /** Scopes found since the last call: their variables' values are queued, their own blocks counted. */
  private scopeBlocks(): number {
    const { layout, scopes } = this.context;
    let blocks = 0;
    for (const [key, declared] of this.foundScopes) {
      this.countedScopes.add(key);
      if (!declared) blocks += 1;
      for (const [name, value] of scopes.variables(key)) blocks += (declared ? 0 : nameBlocks(layout, name.length)) + this.valueBlocks(value);
    }
    this.foundScopes.clear();
    return blocks;
  }
}

function ownValue(target: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
}

// ---- Closure scopes through V8's inspector ----

interface RemoteObject {
  type: string;
  value?: unknown;
  objectId?: string;
  unserializableValue?: string;
  description?: string;
}

const SLOT = "\u00ffsimHeapWalk";
/** Scopes remembered before the reader starts afresh (runtime closures keep adding new ones). */
const REMEMBERED_SCOPES_MAX = 2000;
let session: inspector.Session | undefined;
let nextGroup = 1;
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function post<T>(method: string, params: object): T {
  session ??= connect();
  let result: T | undefined;
  let failure: Error | null = null;
  let answered = false;
  session.post(method, params, (error, answer) => {
    failure = error;
    result = answer as T;
    answered = true;
  });
  if (!answered) throw new Error(`inspector ${method} did not answer synchronously`);
  if (failure !== null) throw failure;
  return result!;
}

function connect(): inspector.Session {
  const created = new inspector.Session();
  created.connect();
  return created;
}

function identity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = nextIdentity++));
  return id;
}

const isObject = (value: unknown): value is object => (typeof value === "object" && value !== null) || typeof value === "function";

/**
 * Reads functions' closure scopes (innermost first, without the global and script scopes).
 * It remembers each function's scopes between walks, so a walk costs two inspector calls per
 * scope rather than five per function. A scope is known by its names and the first function
 * it holds (function declarations are not reassigned), else by all it holds.
 */
export class ScopeReader {
  private group = "";
  private globalId = "";
  private scopesByFunction = new WeakMap<object, string[]>();
  private remoteScopes = new Map<string, string>();

  /** Keys of the scopes `fn` closes over. */
  scopesOf(fn: (...args: unknown[]) => unknown): string[] {
    let keys = this.scopesByFunction.get(fn);
    if (keys !== undefined) return keys;
    if (this.group === "" || this.remoteScopes.size > REMEMBERED_SCOPES_MAX) this.restart();
    keys = [];
    for (const scopeId of this.remoteScopeIds(fn)) {
      const key = scopeKey(this.readVariables(scopeId));
      if (!this.remoteScopes.has(key)) this.remoteScopes.set(key, scopeId);
      keys.push(key);
    }
    this.scopesByFunction.set(fn, keys);
    return keys;
  }

  /** The variables a scope holds now. */
  variables(key: string): [string, unknown][] {
    const scopeId = this.remoteScopes.get(key);
    return scopeId === undefined ? [] : this.readVariables(scopeId);
  }

  /** Lets V8 free everything the reader held. */
  dispose(): void {
    if (this.group !== "") post("Runtime.releaseObjectGroup", { objectGroup: this.group });
    this.group = "";
  }

  private restart(): void {
    this.dispose();
    this.group = `simHeapWalk${nextGroup++}`;
    this.scopesByFunction = new WeakMap();
    this.remoteScopes = new Map();
    this.globalId = post<{ result: RemoteObject }>("Runtime.evaluate", { expression: "globalThis", objectGroup: this.group }).result.objectId!;
  }

  private remoteScopeIds(fn: (...args: unknown[]) => unknown): string[] {
    const host = globalThis as Record<string, unknown>;
    host[SLOT] = fn;
    try {
      const remoteFn = post<{ result: RemoteObject }>("Runtime.evaluate", { expression: `globalThis[${JSON.stringify(SLOT)}]`, objectGroup: this.group }).result;
      const internals = post<{ internalProperties?: { name: string; value: RemoteObject }[] }>("Runtime.getProperties", { objectId: remoteFn.objectId, ownProperties: true }).internalProperties ?? [];
      const scopeList = internals.find((property) => property.name === "[[Scopes]]")?.value;
      if (scopeList?.objectId === undefined) return [];
      const entries = post<{ result: { value?: RemoteObject }[] }>("Runtime.getProperties", { objectId: scopeList.objectId, ownProperties: true }).result;
      return entries.filter((entry) => entry.value?.objectId !== undefined && entry.value.description !== "Global" && entry.value.description !== "Script").map((entry) => entry.value!.objectId!);
    } finally {
      delete host[SLOT];
    }
  }

  private readVariables(scopeId: string): [string, unknown][] {
    const properties = post<{ result: { name: string; value?: RemoteObject }[] }>("Runtime.getProperties", { objectId: scopeId, ownProperties: true }).result;
    const remoteObjects = properties.filter((property) => property.value?.objectId !== undefined);
    const host = globalThis as Record<string, unknown>;
    let objects: unknown[] = [];
    if (remoteObjects.length > 0) {
      post("Runtime.callFunctionOn", {
        objectId: this.globalId,
        functionDeclaration: `function () { this[${JSON.stringify(SLOT)}] = Array.prototype.slice.call(arguments); }`,
        arguments: remoteObjects.map((property) => ({ objectId: property.value!.objectId })),
      });
      objects = host[SLOT] as unknown[];
      delete host[SLOT];
    }
    let objectIndex = 0;
    return properties.map((property): [string, unknown] => {
      const value = property.value;
      if (value?.objectId !== undefined) return [property.name, objects[objectIndex++]];
      if (value?.unserializableValue !== undefined) return [property.name, Number(value.unserializableValue)];
      return [property.name, value?.value];
    });
  }
}

function scopeKey(variables: [string, unknown][]): string {
  const names = variables.map(([name]) => name).join(",");
  const firstFunction = variables.find(([, value]) => typeof value === "function");
  if (firstFunction !== undefined) return `${names}#${identity(firstFunction[1] as object)}`;
  return `${names}=${variables.map(([, value]) => (isObject(value) ? `#${identity(value)}` : `${typeof value}:${String(value)}`)).join(",")}`;
}
