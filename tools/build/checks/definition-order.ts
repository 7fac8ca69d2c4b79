/**
 * Use before definition at top level. Espruino does not hoist: calling a function above its
 * declaration, or reading a `var` whose statement has not run, throws ReferenceError.
 *
 * A "level" is the program body, and the body of each function invoked immediately at top
 * level (the bundle's IIFE), walked in order. A name counts as defined from the offset of its
 * first declaration at that level. Reported:
 *  - a reference that runs at top level (not inside a nested function body or an instance
 *    member) placed before the definition of the name it reads or writes;
 *  - a top-level call `f()` or `new C()` of a function or class of the level whose body reads
 *    a name of the level defined after the call.
 *
 * Approximations: calls are followed one level deep, and only through plain names (not
 * `obj.f()`, callbacks passed as arguments, getters or `super`); block scoping is ignored,
 * so a `let` in a nested block counts as a declaration of the level.
 */
import type * as acorn from "acorn";
import { declaredNames, executedCode, functionLocals, patternNames } from "./scope.ts";
import type { Report } from "../../../simulator/interpreter/violation.ts";

/** Code that runs when a callable is invoked, with the names local to it. */
interface CallablePart {
  node: acorn.Node;
  locals: Set<string>;
}

interface Level {
  /** Name → offset where it becomes defined, outer levels included. */
  definedAt: Map<string, number>;
  /** Name → code that a call of that name runs. */
  callables: Map<string, CallablePart[]>;
}

/** Reports every top-level use of a name before its definition. `locate` renders an offset as line:column. */
export function checkDefinitionOrder(program: acorn.Program, locate: (offset: number) => string, report: Report): void {
  const empty: Level = { definedAt: new Map(), callables: new Map() };
  checkLevel(program.body, empty, locate, report);
}

function checkLevel(statements: acorn.Node[], outer: Level, locate: (offset: number) => string, report: Report): void {
  const level = enterLevel(statements, outer);
  const reportLate = (atOffset: number, name: string, what: string): void => {
    const definedAt = level.definedAt.get(name);
    if (definedAt !== undefined && definedAt > atOffset) {
      report(atOffset, "use before definition", `${what} \`${name}\`, defined later at ${locate(definedAt)}; Espruino does not hoist: move the definition above`);
    }
  };
  for (const statement of statements) {
    const executed = executedCode(statement);
    for (const reference of executed.references) reportLate(reference.start, reference.name, "this uses");
    for (const call of executed.calls) {
      const parts = level.callables.get(call.callee.name) ?? [];
      for (const part of parts) {
        for (const reference of executedCode(part.node).references) {
          if (!part.locals.has(reference.name)) reportLate(call.start, reference.name, `calling ${call.callee.name} here runs code that uses`);
        }
      }
    }
    const invoked = immediatelyInvokedFunction(statement);
    if (invoked?.body.type === "BlockStatement") {
      const inner = withParameters(level, invoked);
      checkLevel(invoked.body.body, inner, locate, report);
    }
  }
}

/** The level's definitions and callables layered over the outer level's. */
function enterLevel(statements: acorn.Node[], outer: Level): Level {
  const definedAt = new Map(outer.definedAt);
  const callables = new Map(outer.callables);
  const declaredHere = new Set<string>();
  for (const statement of statements) {
    for (const [name, offset] of declaredNames(statement)) {
      if (declaredHere.has(name)) continue;
      declaredHere.add(name);
      definedAt.set(name, offset);
      callables.delete(name);
    }
  }
  for (const statement of statements) collectCallables(statement, callables);
  return { definedAt, callables };
}

/** An immediately invoked function's parameters are defined from its start. */
function withParameters(level: Level, invoked: acorn.Function): Level {
  const definedAt = new Map(level.definedAt);
  const callables = new Map(level.callables);
  for (const param of invoked.params) {
    for (const identifier of patternNames(param)) {
      definedAt.set(identifier.name, invoked.start);
      callables.delete(identifier.name);
    }
  }
  return { definedAt, callables };
}

/** Functions and classes a statement defines by name: declarations and `var f = function/arrow/class`. */
function collectCallables(statement: acorn.Node, callables: Map<string, CallablePart[]>): void {
  if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") {
    const declaration = statement as acorn.FunctionDeclaration | acorn.ClassDeclaration;
    callables.set(declaration.id.name, callableParts(declaration));
  }
  if (statement.type !== "VariableDeclaration") return;
  for (const declarator of (statement as acorn.VariableDeclaration).declarations) {
    const init = declarator.init;
    const isCallable = init?.type === "FunctionExpression" || init?.type === "ArrowFunctionExpression" || init?.type === "ClassExpression";
    if (isCallable && declarator.id.type === "Identifier") callables.set(declarator.id.name, callableParts(init));
  }
}

/** What a call runs: a function's body; for a class, its constructor and instance field initialisers. */
function callableParts(node: acorn.Function | acorn.Class): CallablePart[] {
  if (node.type !== "ClassDeclaration" && node.type !== "ClassExpression") {
    const fn = node as acorn.Function;
    return [{ node: fn.body, locals: functionLocals(fn) }];
  }
  const parts: CallablePart[] = [];
  for (const member of (node as acorn.Class).body.body) {
    if (member.type === "MethodDefinition" && member.kind === "constructor") {
      parts.push({ node: member.value.body, locals: functionLocals(member.value) });
    } else if (member.type === "PropertyDefinition" && !member.static && member.value) {
      parts.push({ node: member.value, locals: new Set() });
    }
  }
  return parts;
}

/** The function of `(function () {...})()`, `(() => {...})()` or `!function () {...}()`, if `statement` is one. */
function immediatelyInvokedFunction(statement: acorn.Node): acorn.Function | undefined {
  if (statement.type !== "ExpressionStatement") return undefined;
  let expression = (statement as acorn.ExpressionStatement).expression;
  if (expression.type === "UnaryExpression") expression = expression.argument;
  if (expression.type !== "CallExpression") return undefined;
  const callee = expression.callee;
  return callee.type === "FunctionExpression" || callee.type === "ArrowFunctionExpression" ? callee : undefined;
}
