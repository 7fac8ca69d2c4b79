/**
 * What running a piece of source code costs Espruino's variable store, read off the code
 * itself (no interpreter needed): the blocks its top-level statements leave behind, and the
 * peak while each statement is received and run. The build's budget guard, the simulated
 * board's REPL and the bench use it; process.memory() adds the data the code creates while
 * it runs (heap-walk.ts).
 *
 * How the interpreter spends blocks on code (see layout.ts for the storage rules):
 * - The REPL collects a statement's characters into one string, and keeps it until the
 *   statement has run. An uploaded program is one statement per root-level statement, so a
 *   bundle wrapped in one function (an IIFE) is ONE statement: the whole text is held while
 *   it runs.
 * - Defining a function copies its body text (flat above the break-even length; without a
 *   leading `return`) into RAM, unless the source is itself in flash (boot code from
 *   Storage): then the function points at the flash copy, one block whatever its length.
 * - A function also takes a block, a block per parameter name, and, when defined inside
 *   another function, a link to the scope it closes over (deeper nesting keeps a copied
 *   list of every enclosing scope).
 * - Running a function body creates a scope: a block, plus a name for each declaration.
 *   The scope lives on as long as a function defined in it does.
 * - Under E.setFlags({pretokenise: 1}) class methods are stored tokenised (keywords and
 *   operators one byte each). Measured on 2v29, function declarations' code did not shrink
 *   under the flag; the model follows the measurement.
 *
 * Only what the top-level statements define is counted: data made later by calls (a
 * controller built by start()) is the runtime walk's part.
 */
import * as acorn from "acorn";
import { FIRST_USE_GLOBAL_BLOCKS } from "./first-use.ts";
import {
  CLASS_OVERHEAD_BLOCKS,
  LISTENER_BLOCKS,
  blockLayout,
  copiedStringBlocks,
  instanceOverheadBlocks,
  isInlineInt,
  nameBlocks,
  stringBlocks,
  typedArrayBlocks,
  type BlockLayout,
} from "./layout.ts";

/** Where function code stays: "ram" for code sent to the REPL (then save()), "bootcode" for code run from Storage. */
export type CodeStore = "ram" | "bootcode";

export interface EstimateOptions {
  /** The board's variable count (profile.variables): it decides the block size. */
  variables: number;
  mode: CodeStore;
  /** E.setFlags({pretokenise: 1}) is already on before the code starts. */
  pretokenise?: boolean;
}

export interface StatementEstimate {
  /** Characters of the statement as the REPL receives it. */
  chars: number;
  /** Blocks the statement leaves behind once it has run. */
  residentBlocks: number;
  /** The part of residentBlocks that is code and declarations (functions, their code and scopes, declared names), without the data values they hold. */
  structureBlocks: number;
  /** Blocks the statement needs at its worst moment (received text, parsed copy and what it defined), on top of what was in use before. */
  peakBlocks: number;
}

export interface BundleEstimate {
  statements: StatementEstimate[];
  /** Blocks the code's top-level definitions hold after the upload (before any init handler runs). */
  residentBlocks: number;
  /** The upload's worst moment, on top of what was in use before it. */
  uploadPeakBlocks: number;
  /** The longest single statement, in characters. */
  largestStatementChars: number;
}

const TYPED_ARRAY_BYTES: Record<string, number> = {
  Uint8Array: 1, Int8Array: 1, Uint8ClampedArray: 1, Uint16Array: 2, Int16Array: 2, Uint32Array: 4, Int32Array: 4, Float32Array: 4, Float64Array: 8, ArrayBuffer: 1,
};


interface Context {
  layout: BlockLayout;
  source: string;
  flash: boolean;
  pretokenise: boolean;
  /** Blocks of the fields each class's constructor sets on `this`, by class name: what `new C()` adds. */
  instanceFields: Map<string, number>;
  /** Source text of every function and class counted, as its toString() gives it, with how many were counted. */
  definedFunctions: Map<string, number>;
  /** Names declared or assigned at the top level (globals). */
  globalNames: Set<string>;
  /** Built-ins the statements so far reached (first-use.ts): their object is made once. */
  reached: Set<string>;
}

type Node = acorn.Node & Record<string, any>;

/** Splits `code` into the statements the espruino tool sends, one per root-level statement. */
export function splitStatements(code: string): string[] {
  const program = acorn.parse(code, { ecmaVersion: 2020, sourceType: "script", allowReturnOutsideFunction: false }) as Node;
  return (program.body as Node[]).map((statement) => code.slice(statement.start, statement.end));
}

/**
 * Estimates statement after statement of one interpreter session: it remembers what earlier
 * statements set up (the pretokenise flag, the fields each class's constructor sets).
 */
export class CodeEstimator {
  private readonly layout: BlockLayout;
  private pretokenise: boolean;
  private readonly instanceFields = new Map<string, number>();
  private readonly reached = new Set<string>();
  /** Source text of every function and class the statements so far defined (as toString() gives it), with how many. */
  readonly definedFunctions = new Map<string, number>();
  /** Globals the statements so far declared. */
  readonly globalNames = new Set<string>();

  constructor(private readonly options: EstimateOptions) {
    this.layout = blockLayout(options.variables);
    this.pretokenise = options.pretokenise === true;
  }

  get pretokenised(): boolean {
    return this.pretokenise;
  }

  /**
   * The cost of one REPL statement (or, with mode "bootcode", of boot code run from Storage).
   * Code that does not parse costs only its received text. A dry run leaves the session as
   * it was (for a statement that may not be run at all).
   */
  statement(code: string, options: { mode?: CodeStore; dryRun?: boolean } = {}): StatementEstimate {
    const mode = options.mode ?? this.options.mode;
    const line = mode === "ram" ? stringBlocks(this.layout, code.length) : 0;
    let program: Node;
    try {
      program = acorn.parse(code, { ecmaVersion: 2020, sourceType: "script" }) as Node;
    } catch {
      return { chars: code.length, residentBlocks: 0, structureBlocks: 0, peakBlocks: line };
    }
    const context: Context = {
      layout: this.layout,
      source: code,
      flash: mode === "bootcode",
      pretokenise: this.pretokenise,
      instanceFields: options.dryRun ? new Map(this.instanceFields) : this.instanceFields,
      definedFunctions: options.dryRun ? new Map() : this.definedFunctions,
      globalNames: options.dryRun ? new Set() : this.globalNames,
      reached: options.dryRun ? new Set(this.reached) : this.reached,
    };
    const run = runStatements(program.body as Node[], context, 0);
    if (!options.dryRun) this.pretokenise = context.pretokenise;
    return { chars: code.length, residentBlocks: run.resident, structureBlocks: run.resident - run.data, peakBlocks: line + run.resident + run.transient };
  }
}

/**
 * Blocks of a function or class value made while the program runs (not by a top-level
 * statement), from its source text as toString() gives it: `depth` enclosing scopes, code
 * in flash when it came from boot code.
 */
export function functionValueBlocks(text: string, options: { variables: number; depth: number; flash: boolean; pretokenise: boolean }): number {
  const context: Context = {
    layout: blockLayout(options.variables),
    source: "",
    flash: options.flash,
    pretokenise: options.pretokenise,
    instanceFields: new Map(),
    definedFunctions: new Map(),
    globalNames: new Set(),
    reached: new Set(),
  };
  for (const [prefix, suffix] of [["(", ")"], ["({", "})"]]) {
    context.source = prefix + text + suffix;
    let expression: Node;
    try {
      expression = (acorn.parse(context.source, { ecmaVersion: 2020, sourceType: "script" }) as Node).body[0].expression;
    } catch {
      continue;
    }
    if (expression.type === "ClassExpression") return classBlocks(expression, context, options.depth);
    if (expression.type === "ObjectExpression") return functionBlocks(expression.properties[0].value, undefined, context, options.depth, true);
    return functionBlocks(expression, undefined, context, options.depth);
  }
  // Native or unparseable: one block.
  return 1;
}

/** The cost of one REPL statement in a fresh interpreter. */
export function estimateStatement(code: string, options: EstimateOptions): StatementEstimate {
  return new CodeEstimator(options).statement(code);
}

/** The cost of uploading `code` statement by statement, as the espruino tool does (or, in bootcode mode, of running it from Storage). */
export function estimateBundle(code: string, options: EstimateOptions): BundleEstimate {
  const estimator = new CodeEstimator(options);
  const statements: StatementEstimate[] = [];
  let resident = 0;
  let peak = 0;
  for (const piece of options.mode === "bootcode" ? [code] : splitStatements(code)) {
    const estimate = estimator.statement(piece);
    statements.push(estimate);
    peak = Math.max(peak, resident + estimate.peakBlocks);
    resident += estimate.residentBlocks;
  }
  return { statements, residentBlocks: resident, uploadPeakBlocks: peak, largestStatementChars: Math.max(0, ...statements.map((s) => s.chars)) };
}

function setsPretokenise(code: string): boolean {
  return /E\.setFlags\(\{\s*pretokenise\s*:\s*(1|!0|true)\s*\}\)/.test(code);
}

interface Run {
  /** Blocks that outlive the statements. */
  resident: number;
  /** Blocks held only while they run (an IIFE's function and copied code, a scope nothing keeps). */
  transient: number;
  /** Part of `resident` that is data values (literals, objects, listener entries) rather than code and declarations. */
  data: number;
  /** A function was defined here (so the scope these statements run in is kept). */
  definesFunction: boolean;
}

const NOTHING: Run = { resident: 0, transient: 0, data: 0, definesFunction: false };
const code = (resident: number): Run => ({ resident, transient: 0, data: 0, definesFunction: false });
/** The blocks a built-in's first use makes (first-use.ts), once per session. */
function firstReach(name: string, context: Context): number {
  if (context.reached.has(name)) return 0;
  context.reached.add(name);
  return FIRST_USE_GLOBAL_BLOCKS[name] ?? 0;
}

const dataOf = (resident: number): Run => ({ resident, transient: 0, data: resident, definesFunction: false });
const fnRun = (resident: number): Run => ({ resident, transient: 0, data: 0, definesFunction: true });

function sum(parts: Run[]): Run {
  const run = { ...NOTHING };
  for (const part of parts) {
    run.resident += part.resident;
    run.transient += part.transient;
    run.data += part.data;
    run.definesFunction ||= part.definesFunction;
  }
  return run;
}

function runStatements(statements: Node[], context: Context, depth: number): Run {
  const parts: Run[] = [];
  for (const statement of statements) {
    if (statement.type === "FunctionDeclaration") {
      if (depth === 0) context.globalNames.add(statement.id.name);
      parts.push(fnRun(nameBlocks(context.layout, statement.id.name.length) + functionBlocks(statement, statement, context, depth)));
    } else if (statement.type === "ClassDeclaration") {
      if (depth === 0) context.globalNames.add(statement.id.name);
      context.instanceFields.set(statement.id.name, constructorFieldBlocks(statement, context, depth));
      parts.push(fnRun(nameBlocks(context.layout, statement.id.name.length) + classBlocks(statement, context, depth)));
    } else if (statement.type === "VariableDeclaration") {
      for (const declarator of statement.declarations as Node[]) {
        if (declarator.id.type !== "Identifier") continue;
        if (depth === 0) context.globalNames.add(declarator.id.name);
        parts.push(namedValue(declarator.id.name.length, declarator.init, context, depth, false));
      }
    } else if (statement.type === "ExpressionStatement") {
      parts.push(expressionEffect(statement.expression, context, depth));
      if (setsPretokenise(context.source.slice(statement.start, statement.end))) context.pretokenise = true;
    }
    // Control flow (if, for, ...) runs, but what it creates is data: the runtime walk's part.
  }
  return sum(parts);
}

/** A name holding a value (small integers live inside the name): a declaration, or a property when `inData`. */
function namedValue(nameChars: number, value: Node | null | undefined, context: Context, depth: number, inData: boolean): Run {
  const name = nameBlocks(context.layout, nameChars);
  const nameRun = inData ? dataOf(name) : code(name);
  if (value === null || value === undefined) return nameRun;
  return sum([nameRun, valueRun(value, context, depth)]);
}

function expressionEffect(expression: Node, context: Context, depth: number): Run {
  if (expression.type === "SequenceExpression") return sum((expression.expressions as Node[]).map((part) => expressionEffect(part, context, depth)));
  if (expression.type === "AssignmentExpression" && expression.operator === "=") {
    const target = expression.left;
    if (target.type === "Identifier") {
      if (depth === 0) context.globalNames.add(target.name);
      return namedValue(target.name.length, expression.right, context, depth, false);
    }
    const nameChars = target.type === "MemberExpression" && !target.computed ? target.property.name.length : 1;
    return namedValue(nameChars, expression.right, context, depth, true);
  }
  if (expression.type !== "CallExpression") return NOTHING;
  const iife = immediatelyInvoked(expression);
  if (iife !== undefined) return invocation(iife, context, depth);
  const callee = expression.callee;
  const isListener = callee.type === "MemberExpression" && !callee.computed && callee.property.name === "on";
  if (!isListener) return NOTHING;
  const handler = (expression.arguments as Node[])[1];
  return sum([dataOf(LISTENER_BLOCKS), handler === undefined ? NOTHING : valueRun(handler, context, depth)]);
}

/** The function of `(function(){...})()`, `(()=>{...})()` or `(function(){...}).call(this)`, if that is what this call is. */
function immediatelyInvoked(call: Node): Node | undefined {
  const callee = call.callee;
  if (callee.type === "FunctionExpression" || callee.type === "ArrowFunctionExpression") return callee;
  const isCall = callee.type === "MemberExpression" && !callee.computed && ["call", "apply"].includes(callee.property.name);
  if (isCall && (callee.object.type === "FunctionExpression" || callee.object.type === "ArrowFunctionExpression")) return callee.object;
  return undefined;
}

/** Running a function expression at once: the function and its code live while it runs; its scope lives on if a function was defined in it. */
function invocation(fn: Node, context: Context, depth: number): Run {
  const self = functionBlocks(fn, undefined, context, depth);
  if (fn.body.type !== "BlockStatement") return { ...NOTHING, transient: self };
  const body = runStatements(fn.body.body as Node[], context, depth + 1);
  if (body.definesFunction) return { resident: 1 + body.resident, transient: self + body.transient, data: body.data, definesFunction: false };
  return { ...NOTHING, transient: self + 1 + body.resident + body.transient };
}

/** Blocks of a value beyond the name that holds it. */
function valueRun(value: Node, context: Context, depth: number): Run {
  const { layout } = context;
  switch (value.type) {
    case "Literal":
      if (typeof value.value === "number") return dataOf(isInlineInt(layout, value.value) ? 0 : 1);
      if (typeof value.value === "string") return dataOf(stringBlocks(layout, value.value.length));
      if (value.regex !== undefined) return dataOf(1 + stringBlocks(layout, value.regex.pattern.length));
      return dataOf(1);
    case "TemplateLiteral":
      return dataOf(stringBlocks(layout, (value.quasis as Node[]).reduce((chars, quasi) => chars + quasi.value.cooked.length, 0)));
    case "UnaryExpression":
      return value.argument.type === "Literal" && typeof value.argument.value === "number" ? valueRun(value.argument, context, depth) : dataOf(1);
    case "Identifier":
      // A reference to something that exists already.
      return NOTHING;
    case "ObjectExpression": {
      const members = (value.properties as Node[])
        .filter((property) => property.type === "Property")
        .map((property) => {
          const keyChars = property.key.type === "Identifier" ? property.key.name.length : String(property.key.value).length;
          if (property.method || property.kind !== "init") return sum([dataOf(nameBlocks(layout, keyChars)), fnRun(functionBlocks(property.value, property, context, depth))]);
          return namedValue(keyChars, property.value, context, depth, true);
        });
      return sum([dataOf(1), ...members]);
    }
    case "ArrayExpression":
      return sum([dataOf(1), ...(value.elements as (Node | null)[]).map((element) => namedValue(1, element, context, depth, true))]);
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      return fnRun(functionBlocks(value, value, context, depth));
    case "ClassExpression":
      return fnRun(classBlocks(value, context, depth));
    case "NewExpression": {
      const bytesPerElement = value.callee.type === "Identifier" ? TYPED_ARRAY_BYTES[value.callee.name] : undefined;
      const length = (value.arguments as Node[])[0];
      if (bytesPerElement !== undefined && length?.type === "Literal" && typeof length.value === "number") {
        return dataOf(typedArrayBlocks(layout, length.value * bytesPerElement) + firstReach(value.callee.name, context));
      }
      const fields = value.callee.type === "Identifier" ? context.instanceFields.get(value.callee.name) ?? 0 : 0;
      return dataOf(1 + instanceOverheadBlocks(layout) + fields);
    }
    case "CallExpression": {
      const iife = immediatelyInvoked(value);
      return iife === undefined ? dataOf(1) : invocation(iife, context, depth);
    }
    default:
      return dataOf(1);
  }
}

/** A function value: its block, parameters, code and scope link. `asWritten` (the node whose text the function's toString() gives) is recorded as defined. */
function functionBlocks(fn: Node, asWritten: Node | undefined, context: Context, depth: number, isMethod = false): number {
  const { layout } = context;
  if (asWritten !== undefined) countDefined(context, context.source.slice(asWritten.start, asWritten.end));
  let blocks = 1;
  for (const param of fn.params as Node[]) blocks += param.type === "Identifier" ? nameBlocks(layout, 1 + param.name.length) : 1;
  // Arrow functions keep the `this` they were made with.
  if (fn.type === "ArrowFunctionExpression") blocks += 1;
  // A named function expression keeps its own name (name and string).
  if (fn.type === "FunctionExpression" && fn.id && !isMethod) blocks += 1 + stringBlocks(layout, fn.id.name.length);
  const code = storedCode(fn, context.source);
  if (code === "") return blocks;
  blocks += 1 + codeBlocks(code, context, isMethod);
  return blocks + scopeLinkBlocks(depth);
}

function codeBlocks(code: string, context: Context, isMethod: boolean): number {
  if (context.flash) return 1;
  if (isMethod && context.pretokenise) return copiedStringBlocks(context.layout, tokenisedChars(code));
  return copiedStringBlocks(context.layout, code.length);
}

/** The text Espruino copies for a function: the body between its braces (first token to last), without a leading `return`. */
function storedCode(fn: Node, source: string): string {
  const body = fn.body as Node;
  if (body.type !== "BlockStatement") return source.slice(body.start, body.end);
  const statements = body.body as Node[];
  if (statements.length === 0) return "";
  const first = statements[0];
  let start = first.start;
  if (first.type === "ReturnStatement") start += "return".length;
  const text = source.slice(start, statements[statements.length - 1].end);
  return first.type === "ReturnStatement" ? text.trimStart() : text;
}

function countDefined(context: Context, text: string): void {
  context.definedFunctions.set(text, (context.definedFunctions.get(text) ?? 0) + 1);
}

/** A class: its constructor function (with the constructor's code), prototype and methods. */
function classBlocks(cls: Node, context: Context, depth: number): number {
  const { layout } = context;
  countDefined(context, context.source.slice(cls.start, cls.end));
  const members = (cls.body.body as Node[]).filter((member) => member.type === "MethodDefinition" || member.type === "PropertyDefinition");
  const constructor = members.find((member) => member.kind === "constructor");
  // The class is its constructor function: without a constructor, a bare function with a scope link.
  let blocks = CLASS_OVERHEAD_BLOCKS + (constructor === undefined ? 1 + scopeLinkBlocks(depth) : functionBlocks(constructor.value, undefined, context, depth, true));
  if (cls.type === "ClassExpression" && cls.id) blocks += 1 + stringBlocks(layout, cls.id.name.length);
  if (cls.superClass) blocks += nameBlocks(layout, "__proto__".length);
  for (const member of members) {
    if (member === constructor) continue;
    const keyChars = member.key.type === "Identifier" ? member.key.name.length : String(member.key.value).length;
    if (member.type === "PropertyDefinition") {
      if (member.static) blocks += namedValue(keyChars, member.value, context, depth, true).resident;
      continue;
    }
    // A getter or setter is a small object holding its function.
    const accessor = member.kind === "get" || member.kind === "set" ? 2 : 0;
    blocks += nameBlocks(layout, keyChars) + accessor + functionBlocks(member.value, undefined, context, depth, true);
  }
  return blocks;
}

/** The fields a constructor sets with `this.name = value` statements at its top level. */
function constructorFieldBlocks(cls: Node, context: Context, depth: number): number {
  const constructor = (cls.body.body as Node[]).find((member) => member.kind === "constructor");
  let blocks = 0;
  for (const statement of (constructor?.value.body.body ?? []) as Node[]) {
    if (statement.type !== "ExpressionStatement") continue;
    for (const expression of statement.expression.type === "SequenceExpression" ? statement.expression.expressions : [statement.expression]) {
      const target = expression.type === "AssignmentExpression" ? expression.left : undefined;
      if (target?.type === "MemberExpression" && target.object.type === "ThisExpression" && !target.computed) blocks += namedValue(target.property.name.length, expression.right, context, depth, true).resident;
    }
  }
  return blocks;
}

/** A function defined inside another keeps a link to the scope it closes over; deeper, a copied list of every enclosing scope. */
function scopeLinkBlocks(depth: number): number {
  if (depth === 0) return 0;
  return 1 + (depth >= 2 ? 1 + depth : 0);
}

/** Characters of `code` tokenised: each reserved word and operator one byte, names, numbers and strings as written, a space only between two words. */
export function tokenisedChars(code: string): number {
  let chars = 0;
  let previousWasWord = false;
  try {
    for (const token of acorn.tokenizer(code, { ecmaVersion: 2020 })) {
      const label = token.type.label;
      const isWord = token.type.keyword === undefined && (label === "name" || label === "num");
      const isText = label === "string" || label === "template" || label === "regexp" || isWord;
      chars += isText ? token.end - token.start : 1;
      if (isWord && previousWasWord) chars += 1;
      previousWasWord = isWord;
    }
  } catch {
    return code.length;
  }
  return chars;
}
