/**
 * Syntax the Espruino interpreter rejects (docs/espruino.md section 1, right-hand column): each
 * rule keys on one ESTree node type, so a construct is found wherever it sits in the bundle.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Report } from "./violation.ts";

const PATTERN_TYPES = new Set(["ArrayPattern", "ObjectPattern", "RestElement", "AssignmentPattern"]);

const SPREAD_KINDS: Record<string, string> = {
  ArrayExpression: "array spread",
  CallExpression: "call spread",
  NewExpression: "call spread",
  ObjectExpression: "object spread",
};

const LOGICAL_ASSIGNMENTS = new Set(["&&=", "||=", "??="]);

/**
 * Words Espruino's lexer reserves that JavaScript lets a name use (its keyword list, jslex.h):
 * `var of` is a syntax error there. Property names may still use them.
 */
const RESERVED_NAMES = new Set(["of", "static"]);

function reportReservedName(node: acorn.Node, report: Report): void {
  const name = node.type === "Identifier" ? (node as acorn.Identifier).name : "";
  if (RESERVED_NAMES.has(name)) report(node.start, `reserved word "${name}" as a name`, "Espruino reserves it as a keyword; rename the variable");
}

/** Reports every forbidden syntactic construct in `program`. */
export function checkSyntax(program: acorn.Program, report: Report): void {
  walk.ancestor(program, {
    // Every use is an Identifier visit; a non-computed property name is not. Declared names are checked where they are declared.
    Identifier(node) {
      reportReservedName(node, report);
    },
    VariableDeclarator(node) {
      reportReservedName(node.id, report);
    },
    CatchClause(node) {
      if (node.param) reportReservedName(node.param, report);
    },
    Function(node) {
      if (node.id) reportReservedName(node.id, report);
      for (const param of node.params) reportReservedName(param, report);
      checkFunction(node, report);
    },
    PropertyDefinition(node) {
      if (node.value === null || node.value === undefined) {
        report(node.start, "class field without initialiser", "Espruino rejects `name;` in a class body; give it a value or assign it in the constructor");
      }
      if (node.computed) report(node.start, "computed key", "Espruino rejects `[expr]` class member keys; use a plain name");
    },
    MethodDefinition(node) {
      if (node.computed) report(node.start, "computed key", "Espruino rejects `[expr]` class member keys; use a plain name");
    },
    Property(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2];
      if (node.computed && parent?.type === "ObjectExpression") {
        report(node.start, "computed key", "Espruino rejects `{[k]: v}`; create the object, then assign obj[k] = v");
      }
    },
    SpreadElement(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2];
      const kind = (parent && SPREAD_KINDS[parent.type]) ?? "spread";
      report(node.start, kind, "Espruino rejects `...`; use concat, apply or Object.assign");
    },
    ObjectPattern(node, _state, ancestors) {
      reportOutermostPattern(node, ancestors, report);
    },
    ArrayPattern(node, _state, ancestors) {
      reportOutermostPattern(node, ancestors, report);
    },
    ChainExpression(node) {
      report(node.start, "optional chaining ?.", "Espruino rejects `?.`; test for undefined explicitly");
    },
    BinaryExpression(node) {
      if (node.operator === "**") report(node.start, "exponent operator **", "Espruino rejects `**`; use Math.pow");
    },
    AssignmentExpression(node) {
      if (node.operator === "**=") report(node.start, "exponent operator **", "Espruino rejects `**=`; use Math.pow");
      if (LOGICAL_ASSIGNMENTS.has(node.operator)) {
        report(node.start, `logical assignment ${node.operator}`, "Espruino rejects it; write `if (!a) a = b` or `a = a ?? b`");
      }
    },
    LabeledStatement(node) {
      report(node.start, "label", "Espruino rejects labelled statements; use a flag or a function with return");
    },
    TaggedTemplateExpression(node) {
      report(node.start, "tagged template", "Espruino supports only untagged template literals; call the function instead");
    },
    AwaitExpression(node) {
      report(node.start, "await", "Espruino has no async/await; chain Promise.then");
    },
    ForOfStatement(node) {
      if (node.await) report(node.start, "for await", "Espruino has no async iteration; chain Promise.then");
    },
    ImportExpression(node) {
      report(node.start, "dynamic import()", "Espruino has no modules; bundle the code");
    },
  });
}

/** Generators, async functions, default and rest parameters. */
function checkFunction(node: acorn.Function, report: Report): void {
  if (node.generator) report(node.start, "generator", "Espruino has no generators; return an array or keep an index");
  if (node.async) report(node.start, "async function", "Espruino has no async/await; return a Promise and chain then");
  for (const param of node.params) {
    if (param.type === "AssignmentPattern") {
      report(param.start, "default parameter", "Espruino rejects `p = value`; write `if (p === undefined) p = value` in the body");
    } else if (param.type === "RestElement") {
      report(param.start, "rest parameter", "Espruino rejects `...args`; take an array or read `arguments`");
    }
  }
}

/** Reports a destructuring pattern once, at its outermost pattern. */
function reportOutermostPattern(node: acorn.Node, ancestors: acorn.Node[], report: Report): void {
  const parent = ancestors[ancestors.length - 2];
  if (parent && PATTERN_TYPES.has(parent.type)) return;
  report(node.start, "destructuring", "Espruino rejects `{a} = o` and `[a] = xs`; read the properties one by one");
}
