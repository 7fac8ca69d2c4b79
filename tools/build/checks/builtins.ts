/**
 * Library features the Espruino interpreter lacks or breaks (docs/espruino.md section 1): missing
 * globals and static methods, methods read off built-in prototypes (undefined there),
 * subclasses of built-ins, `require` of a module the board does not hold, and `fn.name`.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Report } from "../../../simulator/interpreter/violation.ts";

/** Globals Espruino does not define. */
const MISSING_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "BigInt"]);

/** Static methods Espruino does not define, by owner. */
const MISSING_STATICS: Record<string, Set<string>> = {
  Object: new Set(["freeze", "seal"]),
  Array: new Set(["from", "of"]),
  Number: new Set(["isInteger", "isNaN"]),
  Math: new Set(["trunc"]),
};

/** Built-in constructors: their prototypes have no methods on Espruino, and they cannot be extended. */
const BUILTIN_CONSTRUCTORS = new Set([
  "Object", "Function", "Array", "String", "Number", "Boolean", "Date", "RegExp", "Promise",
  "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "InternalError",
  "ArrayBuffer", "DataView", "Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array",
  "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array",
]);

/** Modules built into every target board; anything else would be fetched from the internet. */
const ALLOWED_MODULES = new Set(["crypto", "Storage"]);

/** Reports every use of a missing or broken built-in in `program`. */
export function checkBuiltins(program: acorn.Program, report: Report): void {
  const functionNames = collectFunctionNames(program);
  walk.ancestor(program, {
    Identifier(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2];
      const isTypeofGuard = parent?.type === "UnaryExpression" && (parent as acorn.UnaryExpression).operator === "typeof";
      if (MISSING_GLOBALS.has(node.name) && !isTypeofGuard) {
        report(node.start, node.name, `Espruino has no ${node.name}; use plain objects, arrays or typed arrays`);
      }
    },
    Literal(node) {
      if (node.bigint !== undefined) report(node.start, "BigInt", "Espruino has no BigInt; use numbers or byte arrays");
    },
    MemberExpression(node, _state, ancestors) {
      checkMember(node, ancestors, functionNames, report);
    },
    Class(node) {
      const base = node.superClass;
      if (base?.type === "Identifier" && BUILTIN_CONSTRUCTORS.has(base.name)) {
        report(node.start, `extends ${base.name}`, "Espruino cannot subclass built-ins (native super() fails); wrap one instead, or throw a plain Error");
      }
    },
    CallExpression(node) {
      if (node.callee.type === "Identifier" && node.callee.name === "require") checkRequire(node, report);
    },
  });
}

/** Static methods that are missing, `X.prototype.m` of a built-in, and `fn.name`. */
function checkMember(node: acorn.MemberExpression, ancestors: acorn.Node[], functionNames: Set<string>, report: Report): void {
  const owner = node.object;
  const property = propertyName(node);
  if (owner.type === "Identifier" && property !== undefined && MISSING_STATICS[owner.name]?.has(property)) {
    report(node.start, `${owner.name}.${property}`, `Espruino has no ${owner.name}.${property}; write the few lines it does by hand`);
  }
  if (owner.type === "MemberExpression" && propertyName(owner) === "prototype" && owner.object.type === "Identifier" && BUILTIN_CONSTRUCTORS.has(owner.object.name)) {
    const shown = `${owner.object.name}.prototype.${property ?? "[…]"}`;
    report(node.start, shown, "built-in prototypes have no methods on Espruino; borrow from an instance, e.g. [].slice.call(x)");
  }
  if (property === "name" && namesAFunction(owner, ancestors, functionNames)) {
    report(node.start, "fn.name", "Espruino leaves function and error names undefined; store the name in a string yourself");
  }
}

/** Whether `owner.name` reads the name of a function, a class, a constructor or a caught error. */
function namesAFunction(owner: acorn.Node, ancestors: acorn.Node[], functionNames: Set<string>): boolean {
  if (owner.type === "MemberExpression") return propertyName(owner as acorn.MemberExpression) === "constructor";
  if (owner.type !== "Identifier") return false;
  const name = (owner as acorn.Identifier).name;
  if (functionNames.has(name)) return true;
  return ancestors.some((node) => {
    const param = (node as acorn.CatchClause).param;
    return node.type === "CatchClause" && param?.type === "Identifier" && param.name === name;
  });
}

/** `require` may only load a board module, by a literal name. */
function checkRequire(node: acorn.CallExpression, report: Report): void {
  const [argument] = node.arguments;
  const isAllowed = node.arguments.length === 1 && argument.type === "Literal" && ALLOWED_MODULES.has(String(argument.value));
  if (!isAllowed) {
    const shown = argument?.type === "Literal" ? `require(${argument.raw})` : "require(…)";
    report(node.start, shown, 'only require("crypto") and require("Storage") are built into the boards; bundle everything else');
  }
}

/** Names of function and class declarations, and of variables initialised with one. */
function collectFunctionNames(program: acorn.Program): Set<string> {
  const names = new Set<string>();
  walk.simple(program, {
    FunctionDeclaration(node) {
      if (node.id) names.add(node.id.name);
    },
    ClassDeclaration(node) {
      if (node.id) names.add(node.id.name);
    },
    VariableDeclarator(node) {
      const init = node.init?.type;
      const isFunction = init === "FunctionExpression" || init === "ArrowFunctionExpression" || init === "ClassExpression";
      if (isFunction && node.id.type === "Identifier") names.add(node.id.name);
    },
  });
  return names;
}

/** The property name of `a.b` or `a["b"]`, or undefined for a computed expression. */
function propertyName(node: acorn.MemberExpression): string | undefined {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.property.type === "Literal" && typeof node.property.value === "string") return node.property.value;
  return undefined;
}
