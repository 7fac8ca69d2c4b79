/**
 * A closure capturing a `let`/`const` declared in a loop's head or body. Espruino does not
 * make a fresh binding per iteration, so every closure sees the last value. Babel's
 * block-scoping pass rewrites such loops; this rule proves it did. Shadowing inside the
 * closure is ignored, so a closure declaring its own variable of that name is reported too.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import { patternNames } from "./scope.ts";
import type { Report } from "../../../simulator/interpreter/violation.ts";

type Loop = acorn.ForStatement | acorn.ForInStatement | acorn.ForOfStatement;

/** Reports each closure inside a loop body that reads a block-scoped variable of the loop. */
export function checkLoopClosures(program: acorn.Program, report: Report): void {
  const onLoop = (loop: Loop): void => checkLoop(loop, report);
  walk.simple(program, { ForStatement: onLoop, ForInStatement: onLoop, ForOfStatement: onLoop });
}

function checkLoop(loop: Loop, report: Report): void {
  const head = loop.type === "ForStatement" ? loop.init : loop.left;
  const names = new Set<string>();
  if (head?.type === "VariableDeclaration") addBlockScopedNames(head, names);
  walk.recursive(loop.body, undefined, {
    Function() {},
    VariableDeclaration(declaration, state, visit) {
      addBlockScopedNames(declaration, names);
      for (const declarator of declaration.declarations) if (declarator.init) visit(declarator.init, state);
    },
  });
  if (names.size === 0) return;
  walk.simple(loop.body, {
    Function(closure) {
      walk.simple(closure.body, {
        Identifier(node) {
          if (names.has(node.name)) {
            report(closure.start, "closure over a let in a loop", `Espruino shares \`${node.name}\` across iterations; build the closure in a helper function that takes it as a parameter`);
          }
        },
      });
    },
  });
}

function addBlockScopedNames(declaration: acorn.VariableDeclaration, names: Set<string>): void {
  if (declaration.kind === "var") return;
  for (const declarator of declaration.declarations) for (const identifier of patternNames(declarator.id)) names.add(identifier.name);
}
