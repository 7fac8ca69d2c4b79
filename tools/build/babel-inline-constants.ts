/**
 * Babel plugin: folds named primitive constants into their uses, the job EspruinoDocs leaves
 * to the minifier for a module's `C` object. Espruino runs from source, so `STAGE_OPEN`
 * costs flash for its name at every use and a variable lookup at every run; `0` costs
 * neither. esbuild already folds most numbers but keeps strings and any constant of a file
 * that holds a class.
 *
 * Only a `var` whose name is a constant's (UPPER_CASE), whose value is a number, string or
 * boolean literal and which is never assigned again is folded, and only when that makes the
 * bundle smaller. Nothing is renamed: a use becomes the value it always had.
 */
import type babel from "@babel/core";

const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

interface Literal extends babel.Node {
  value?: unknown;
  operator?: string;
  argument?: Literal;
}

/** Source length of a primitive literal, or -1 when `node` is not one. */
function literalLength(node: Literal | null | undefined): number {
  if (!node) return -1;
  if (node.type === "NumericLiteral") return String(node.value).length;
  if (node.type === "StringLiteral") return JSON.stringify(node.value).length;
  if (node.type === "BooleanLiteral") return 2; // !0 / !1 after compaction
  if (node.type === "UnaryExpression" && node.operator === "-" && node.argument?.type === "NumericLiteral") return 1 + literalLength(node.argument);
  return -1;
}

export const inlineConstants: babel.PluginFactory = ({ types }) => ({
  name: "inline-constants",
  visitor: {
    Program: {
      // At exit, after block scoping made every constant a `var` and the scopes are final.
      exit(program) {
        program.scope.crawl();
        program.traverse({
          VariableDeclarator(path) {
            const { id, init } = path.node;
            if (id.type !== "Identifier" || !CONSTANT_NAME.test(id.name)) return;
            const valueLength = literalLength(init);
            if (valueLength < 0) return;
            const binding = path.scope.getBinding(id.name);
            if (!binding || !binding.constant || binding.path !== path) return;
            const uses = binding.referencePaths.length;
            const kept = uses * id.name.length + id.name.length + valueLength + 2;
            if (uses * valueLength > kept) return;
            for (const use of binding.referencePaths) use.replaceWith(types.cloneNode(init as babel.Node));
            path.remove();
          },
        });
      },
    },
  },
});
