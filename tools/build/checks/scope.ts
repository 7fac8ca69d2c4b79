/**
 * Scope helpers for the rules that reason about names: which names a piece of code declares,
 * and which names it reads or writes when it runs. Both stop at nested function bodies,
 * because code there runs later, if ever.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";

/** The identifiers a binding pattern declares (`a`, `{a, b: [c]}`, `...rest`, `d = 1`). */
export function patternNames(pattern: acorn.Pattern): acorn.Identifier[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern];
    case "ObjectPattern":
      return pattern.properties.flatMap((property) => patternNames(property.type === "RestElement" ? property : property.value));
    case "ArrayPattern":
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case "RestElement":
      return patternNames(pattern.argument);
    case "AssignmentPattern":
      return patternNames(pattern.left);
    default:
      return [];
  }
}

/**
 * Names declared directly in `node` (variables, functions, classes, catch parameters), not
 * inside nested functions, each with the offset of its first declaration. Block scoping is
 * ignored: a `let` in a nested block counts as declared at this level.
 */
export function declaredNames(node: acorn.Node): Map<string, number> {
  const names = new Map<string, number>();
  const declare = (identifier: acorn.Identifier, offset: number): void => {
    if (!names.has(identifier.name)) names.set(identifier.name, offset);
  };
  walk.recursive(node, undefined, {
    Function(fn) {
      if (fn.type === "FunctionDeclaration" && fn.id) declare(fn.id, fn.start);
    },
    Class(cls, state, visit) {
      if (cls.type === "ClassDeclaration" && cls.id) declare(cls.id, cls.start);
      if (cls.superClass) visit(cls.superClass, state);
    },
    VariableDeclarator(declarator, state, visit) {
      for (const identifier of patternNames(declarator.id)) declare(identifier, declarator.start);
      if (declarator.init) visit(declarator.init, state);
    },
    CatchClause(clause, state, visit) {
      if (clause.param) for (const identifier of patternNames(clause.param)) declare(identifier, clause.start);
      visit(clause.body, state);
    },
  });
  return names;
}

/** A call or `new` through a plain name, such as `start()` or `new Board(profile)`. */
export type NamedCall = (acorn.CallExpression | acorn.NewExpression) & { callee: acorn.Identifier };

/** What runs when a piece of code runs: the names it uses and the calls it makes by name. */
export interface ExecutedCode {
  references: acorn.Identifier[];
  calls: NamedCall[];
}

/**
 * Names read or written, and calls made by name, when `node` itself runs: not inside nested
 * function bodies, and of a class only what runs at its definition (`extends`, computed
 * keys, static fields). `typeof name` is left out: it never throws for a missing name.
 */
export function executedCode(node: acorn.Node): ExecutedCode {
  const code: ExecutedCode = { references: [], calls: [] };
  const onCall = (call: acorn.CallExpression | acorn.NewExpression, state: undefined, visit: walk.WalkerCallback<undefined>): void => {
    if (call.callee.type === "Identifier") code.calls.push(call as NamedCall);
    visit(call.callee, state);
    for (const argument of call.arguments) visit(argument, state);
  };
  walk.recursive(node, undefined, {
    Function() {},
    Identifier(identifier) {
      code.references.push(identifier);
    },
    UnaryExpression(unary, state, visit) {
      if (unary.operator !== "typeof" || unary.argument.type !== "Identifier") visit(unary.argument, state);
    },
    AssignmentExpression(assignment, state, visit) {
      if (assignment.left.type === "Identifier") code.references.push(assignment.left);
      else visit(assignment.left, state);
      visit(assignment.right, state);
    },
    PropertyDefinition(field, state, visit) {
      if (field.computed) visit(field.key, state);
      if (field.static && field.value) visit(field.value, state);
    },
    CallExpression: onCall,
    NewExpression: onCall,
  });
  return code;
}

/** Names local to a function: its parameters, its own name (expressions only) and what its body declares. */
export function functionLocals(fn: acorn.Function): Set<string> {
  const locals = new Set<string>(declaredNames(fn.body).keys());
  for (const param of fn.params) for (const identifier of patternNames(param)) locals.add(identifier.name);
  if (fn.id && fn.type !== "FunctionDeclaration") locals.add(fn.id.name);
  return locals;
}
