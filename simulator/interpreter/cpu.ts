/**
 * The CPU-time model: on a board every callback takes time, and while it runs nothing else
 * does (timers wait, received bytes pile up in the receive buffer, the watchdog keeps
 * counting). V8 runs the firmware thousands of times faster, so the simulator counts the
 * work instead and charges it as virtual time (docs/simulator.md, "CPU time"):
 *
 * - Espruino interprets straight from the source text, so its cost follows the tokens it
 *   reads. Code the simulator runs is instrumented (inside the simulator only; the firmware
 *   build never sees it): each statement starts with a call that adds its own tokens (those
 *   not in a nested block, branch or function, which count when they run), so time passes
 *   statement by statement: a pin written half-way through a callback is written half-way
 *   through its time. A loop's test and update count with its body, once per iteration.
 * - Native hashes are charged per call and per 64-byte block.
 * - cycles = tokens x CYCLES_PER_TOKEN + native cycles; time = cycles / the board's clock.
 *
 * Deterministic: the counts depend only on what the code does.
 */
import * as acorn from "acorn";

/** Name of the realm's hidden counter function the instrumentation calls. */
export const CPU_COUNTER = "\u00ffc";
/** Marks the braces or parentheses the instrumentation added, so stripInstrumentation can take them out again. */
const MARK = "/*\u00ff*/";

/**
 * CPU cycles per source token interpreted. Published: espruino.com/Performance gives ~4,000
 * iterations a second of `while (1) {A0.set();A0.reset();}` (15 tokens) on the original
 * Espruino board (72 MHz), ~1,200 cycles a token; a forum measurement of a float loop on a
 * Pico (Espruino forum, "Float Speed: Espruino Pico vs Pyboard", 2017: 1,000,000 iterations
 * of ~31 tokens in 458 s at 84 MHz) gives ~1,240.
 */
export const CYCLES_PER_TOKEN = 1200;
/**
 * A native hash (crypto.SHA256, SHA1): the call (argument conversion, the result buffer),
 * then each 64-byte block (~50 cycles a byte, software SHA-256 on a Cortex-M). The call's
 * cost is the one fitted constant: it sets the two SHA-256 calls of an HMAC against the
 * tokens, so that the firmware's ratios match those measured on the real 2v29 interpreter
 * with the code in RAM (docs/simulator.md, "Calibration"; cpu.test.ts prints the errors).
 */
export const HASH_CALL_CYCLES = 20_500;
export const HASH_BLOCK_CYCLES = 3_200;

/** Core clock of each board, MHz (the board pages on espruino.com). */
const CLOCK_MHZ: Record<string, number> = { PICO: 84, WIFI: 100, MDBT42Q: 64, ESP32: 240 };
const CLOCK_MHZ_BY_FAMILY: Record<string, number> = { stm32: 84, nrf52: 64, esp32: 240 };

export function clockMhz(profile: { id: string; mcuFamily: string }): number {
  return CLOCK_MHZ[profile.id] ?? CLOCK_MHZ_BY_FAMILY[profile.mcuFamily] ?? 84;
}

/**
 * A call of a native string, regular-expression or JSON method, before its per-character work:
 * the method's lookup, its arguments' conversion and a new string for the result (about 17
 * tokens' worth). The three native costs are set, not fitted: the measured ratios barely
 * constrain them (a fit drives the per-character costs to zero), and these keep each within
 * its measured range (docs/simulator.md).
 */
export const NATIVE_CALL_CYCLES = 20_000;
/** Espruino walks strings block by block: each character a string method reads. */
export const STRING_CYCLES_PER_CHAR = 300;
/** Espruino's regular expressions are a recursive matcher: each character of the input tried. */
export const REGEX_CYCLES_PER_CHAR = 1_000;

export type NativeKind = "string" | "regex";

/** What the meter counted, by kind of work. */
export interface CpuCounts {
  tokens: number;
  hashCalls: number;
  hashBlocks: number;
  nativeCalls: number;
  stringChars: number;
  regexChars: number;
}

/** Turns the work of the code running now into CPU time, charged to the clock as it happens. */
export class CpuMeter {
  /** Cycles charged so far. */
  cycles = 0;
  readonly counts: CpuCounts = { tokens: 0, hashCalls: 0, hashBlocks: 0, nativeCalls: 0, stringChars: 0, regexChars: 0 };

  constructor(
    readonly mhz: number,
    private readonly charge: (ms: number) => void,
  ) {}

  tokens(count: number): void {
    this.counts.tokens += count;
    this.add(count * CYCLES_PER_TOKEN);
  }

  /** A native hash of `bytes` bytes (padded to whole 64-byte blocks). */
  hash(bytes: number): void {
    const blocks = Math.ceil((bytes + 9) / 64);
    this.counts.hashCalls++;
    this.counts.hashBlocks += blocks;
    this.add(HASH_CALL_CYCLES + blocks * HASH_BLOCK_CYCLES);
  }

  /** A native string or regular-expression method over `chars` characters. */
  native(kind: NativeKind, chars: number): void {
    this.counts.nativeCalls++;
    if (kind === "string") this.counts.stringChars += chars;
    else this.counts.regexChars += chars;
    this.add(NATIVE_CALL_CYCLES + chars * (kind === "string" ? STRING_CYCLES_PER_CHAR : REGEX_CYCLES_PER_CHAR));
  }

  private add(cycles: number): void {
    this.cycles += cycles;
    this.charge(cycles / (this.mhz * 1000));
  }
}

/** String methods charged per character they read or write (see `measure` in meterNatives). */
const STRING_METHODS = ["split", "indexOf", "lastIndexOf", "slice", "substring", "substr", "replace", "startsWith", "endsWith", "includes", "toUpperCase", "toLowerCase", "trim", "padStart", "repeat"];

/**
 * Makes the realm's native string, regular-expression and JSON methods charge `meter`
 * (wrapped inside the realm, so code there sees the same functions by name). A method is
 * charged, after it returns, for the characters Espruino's version walks: a search stops at
 * its match, a slice copies only its result, a prefix test reads only the prefix; the rest
 * read the whole string. Charging the whole string for a search that stops early made a
 * parse that looks for a separator near the front cost as much as one that reads the line.
 */
export function meterNatives(runInRealm: (code: string) => unknown, meter: CpuMeter): void {
  const install = runInRealm(`(function (charge, stringMethods) {
    var rawIndexOf = String.prototype.indexOf;
    function start(self, position) { var n = Math.floor(Number(position)) || 0; return Math.min(Math.max(n, 0), self.length); }
    function scanned(self, args) {
      var search = String(args[0]), from = start(self, args[1]);
      var at = rawIndexOf.call(self, search, from);
      return at < 0 ? self.length - from : at - from + search.length;
    }
    function resultLength(self, args, result) { return result.length; }
    function inputLength(self, args) { return args[0] === undefined ? 0 : String(args[0]).length; }
    var MEASURES = {
      indexOf: scanned,
      includes: scanned,
      lastIndexOf: function (self, args, result) { return result < 0 ? self.length : self.length - result; },
      slice: resultLength,
      substring: resultLength,
      substr: resultLength,
      repeat: resultLength,
      padStart: resultLength,
      startsWith: inputLength,
      endsWith: inputLength
    };
    function wholeString(self) { return self.length; }
    // V8's own methods call each other (RegExp test calls exec): on the board that is one native call.
    var depth = 0;
    function wrap(target, name, kind, measure) {
      var original = target[name];
      if (typeof original !== "function") return;
      Object.defineProperty(target, name, { value: function () {
        depth++;
        var result;
        try { result = original.apply(this, arguments); } finally { depth--; }
        if (depth === 0) charge(kind, measure(this, arguments, result));
        return result;
      }, writable: true, configurable: true });
    }
    for (var i = 0; i < stringMethods.length; i++) wrap(String.prototype, stringMethods[i], "string", MEASURES[stringMethods[i]] || wholeString);
    wrap(RegExp.prototype, "test", "regex", inputLength);
    wrap(RegExp.prototype, "exec", "regex", inputLength);
    wrap(JSON, "parse", "string", inputLength);
    wrap(JSON, "stringify", "string", function () { return 16; });
  })`) as (charge: (kind: NativeKind, chars: number) => void, methods: string[]) => void;
  install((kind, chars) => meter.native(kind, chars), STRING_METHODS);
}

/** Instrumented code, by source (a bundle is instrumented once, not at every boot). */
const CACHE_ENTRIES_MAX = 64;
const cache = new Map<string, string>();

type Node = acorn.Node & Record<string, any>;

/** `code` with a token counter at the start of every block. Code that does not parse is returned as it is (V8 reports the error). */
export function instrument(code: string): string {
  const cached = cache.get(code);
  if (cached !== undefined) return cached;
  let result = code;
  try {
    result = instrumentParsed(code);
  } catch {
    result = code;
  }
  if (cache.size >= CACHE_ENTRIES_MAX) cache.delete(cache.keys().next().value!);
  cache.set(code, result);
  return result;
}

/** The source as written: what Function.prototype.toString() gave before instrumentation. */
export function stripInstrumentation(text: string): string {
  if (!text.includes("\u00ff")) return text;
  return text
    .replace(/\{\/\*\u00ff\*\/\u00ffc\(\d+\);/g, "")
    .replace(/\u00ffc\(\d+,0\),/g, "")
    .replace(/\(\u00ffc\(\d+\),/g, "")
    .replace(/\u00ffc\(\d+\);/g, "")
    .replace(/\/\*\u00ff\*\/[})]/g, "");
}

interface Insertion {
  at: number;
  text: string;
}

function instrumentParsed(code: string): string {
  const program = acorn.parse(code, { ecmaVersion: 2020, sourceType: "script" }) as Node;
  const tokenStarts: number[] = [];
  for (const token of acorn.tokenizer(code, { ecmaVersion: 2020 })) tokenStarts.push(token.start);
  const tokensIn = (start: number, end: number) => lowerBound(tokenStarts, end) - lowerBound(tokenStarts, start);
  const insertions: Insertion[] = [];

  /** Tokens of [start, end) minus those of the counted regions inside it. */
  const own = (start: number, end: number, inner: [number, number][]) => tokensIn(start, end) - inner.reduce((sum, [s, e]) => sum + tokensIn(s, e), 0);

  /** Visits `node`, returning the regions under it that get their own counter. */
  function visit(node: Node | null | undefined): [number, number][] {
    if (node === null || node === undefined || typeof node.type !== "string") return [];
    const regions: [number, number][] = [];
    const counted = (body: Node, extra: Node[] = []) => regions.push(countBlock(body, extra));
    switch (node.type) {
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        counted(node.body);
        return regions;
      case "ForStatement":
        regions.push(...visit(node.init));
        counted(node.body, [node.test, node.update].filter(Boolean));
        return regions;
      case "ForInStatement":
      case "ForOfStatement":
        regions.push(...visit(node.right));
        counted(node.body, [node.left]);
        return regions;
      case "WhileStatement":
      case "DoWhileStatement":
        counted(node.body, [node.test]);
        return regions;
      case "IfStatement":
        regions.push(...visit(node.test));
        counted(node.consequent);
        if (node.alternate) counted(node.alternate);
        return regions;
      case "SwitchCase":
        regions.push(...visit(node.test));
        if (node.consequent.length > 0) regions.push(countEach(node.consequent, 0));
        return regions;
      case "CatchClause":
        counted(node.body);
        return regions;
      case "TryStatement":
        counted(node.block);
        if (node.handler) regions.push(...visit(node.handler));
        if (node.finalizer) counted(node.finalizer);
        return regions;
      // A minifier joins statements with commas (`a(),b(),c()`) and declarations (`var x=f(),y=g()`):
      // each part counts when it is reached, as the statements did.
      case "SequenceExpression":
        for (const part of node.expressions as Node[]) {
          insertions.push({ at: part.start, text: `${CPU_COUNTER}(${Math.max(1, own(part.start, part.end, visit(part)))},0),` });
          regions.push([part.start, part.end]);
        }
        return regions;
      case "VariableDeclaration":
        if (node.declarations.length < 2) break;
        for (const declarator of node.declarations as Node[]) {
          regions.push(...visit(declarator.id));
          if (declarator.init) regions.push(countBlock(declarator.init, []));
        }
        return regions;
    }
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (Array.isArray(child)) for (const item of child) regions.push(...visit(item));
      else if (child && typeof child.type === "string") regions.push(...visit(child));
    }
    return regions;
  }

  /** Gives `body` (a block, statement or expression) its own counters; `extra` nodes (a loop's test) count with it. */
  function countBlock(body: Node, extra: Node[]): [number, number] {
    const extraRegions = extra.map((node) => visit(node));
    const extraTokens = extra.reduce((sum, node, index) => sum + own(node.start, node.end, extraRegions[index]), 0);
    if (body.type === "BlockStatement") {
      const statements = body.body as Node[];
      // The braces, the loop's test and update: with the first statement (or alone).
      const braces = tokensIn(body.start, body.end) - (statements.length === 0 ? 0 : tokensIn(statements[0].start, statements[statements.length - 1].end));
      if (statements.length === 0) insertions.push({ at: body.start + 1, text: `${CPU_COUNTER}(${Math.max(1, braces + extraTokens)});` });
      else countEach(statements, braces + extraTokens);
      return [body.start, body.end];
    }
    const tokens = own(body.start, body.end, visit(body)) + extraTokens;
    if (isStatement(body)) {
      insertions.push({ at: body.start, text: `{${MARK}${CPU_COUNTER}(${Math.max(1, tokens)});` }, { at: body.end, text: `${MARK}}` });
    } else {
      insertions.push({ at: body.start, text: `(${CPU_COUNTER}(${Math.max(1, tokens)}),` }, { at: body.end, text: `${MARK})` });
    }
    return [body.start, body.end];
  }

  /** A counter before each statement with its own tokens; `extra` more with the first. */
  function countEach(statements: Node[], extra: number): [number, number] {
    statements.forEach((statement, index) => {
      const tokens = own(statement.start, statement.end, visit(statement)) + (index === 0 ? extra : 0);
      insertions.push({ at: statement.start, text: `${CPU_COUNTER}(${Math.max(1, tokens)});` });
    });
    return [statements[0].start, statements[statements.length - 1].end];
  }

  const body = program.body as Node[];
  if (body.length > 0) countEach(body, 0);
  // From the end; at one position, a closing mark goes before what opens there (applied last, it lands first).
  const closes = (insertion: Insertion) => (insertion.text.startsWith(MARK) ? 1 : 0);
  insertions.sort((a, b) => b.at - a.at || closes(a) - closes(b));
  let result = code;
  for (const insertion of insertions) result = result.slice(0, insertion.at) + insertion.text + result.slice(insertion.at);
  return result;
}

function isStatement(node: Node): boolean {
  return node.type.endsWith("Statement") || node.type === "VariableDeclaration" || node.type === "FunctionDeclaration" || node.type === "ClassDeclaration";
}

function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
