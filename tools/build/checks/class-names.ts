/**
 * A named class expression that refers to itself by its inner name. Espruino does not bind
 * that name (`var A = class B { ... B ... }`: B is undefined). esbuild emits
 * `var _X = class _X { ... _X ... }` for classes with static members; that works only
 * because the variable has the same name and is assigned before any method runs. So a
 * self-reference is reported unless the class is stored in a variable of its own name and
 * the reference sits in a method, where it runs after that assignment.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Report } from "../../../simulator/interpreter/violation.ts";

/** Reports each class expression that reads its own inner name where Espruino cannot resolve it. */
export function checkClassNames(program: acorn.Program, report: Report): void {
  walk.ancestor(program, {
    ClassExpression(node, _state, ancestors) {
      if (!node.id) return;
      const name = node.id.name;
      const storedUnderOwnName = isStoredAs(ancestors[ancestors.length - 2], name);
      for (const member of node.body.body) {
        const runsAtDefinition = member.type === "StaticBlock" || (member.type === "PropertyDefinition" && member.static);
        if ((runsAtDefinition || !storedUnderOwnName) && reads(member, name)) {
          report(node.start, "named class expression", `Espruino does not bind the inner name \`${name}\`; declare \`class ${name}\` as a statement, or store the class in \`var ${name}\` and use it only in methods`);
          return;
        }
      }
    },
  });
}

/** Whether `parent` stores the class in a variable called `name`. */
function isStoredAs(parent: acorn.Node | undefined, name: string): boolean {
  if (parent?.type === "VariableDeclarator") {
    const id = (parent as acorn.VariableDeclarator).id;
    return id.type === "Identifier" && id.name === name;
  }
  if (parent?.type === "AssignmentExpression") {
    const left = (parent as acorn.AssignmentExpression).left;
    return left.type === "Identifier" && left.name === name;
  }
  return false;
}

function reads(node: acorn.Node, name: string): boolean {
  let found = false;
  walk.simple(node, {
    Identifier(identifier) {
      if (identifier.name === name) found = true;
    },
  });
  return found;
}
