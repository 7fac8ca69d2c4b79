/**
 * Babel plugin: gives every parameter, local variable and top-level name a short name of its
 * own. A function's parameter names are held in RAM for as long as the function exists (its
 * code stays in flash), a top-level name for good, and a name over 4 characters takes a
 * second block on the boards (docs/espruino.md, section 4b); locals cost the same while their
 * function runs. What breaks under a renaming minifier is a class expression's own name
 * (docs/espruino.md, section 1): class declarations and function expressions keep their own
 * names, and so do the top-level names `keep` names, by which the console and the measuring
 * tools reach the firmware.
 *
 * Each renamed binding gets a name no other identifier of the program spells, so a new name
 * can neither shadow nor be shadowed: the rename cannot change what any reference resolves to.
 */
import type babel from "@babel/core";

/** Keywords a generated name of up to three letters could spell: JavaScript's, and Espruino's `of` (docs/espruino.md, section 1). */
const KEYWORDS = new Set(["do", "if", "in", "of", "for", "let", "new", "try", "var"]);
const FIRST = "abcdefghijklmnopqrstuvwxyz";
const REST = `${FIRST}0123456789`;

/** Short names in order of length (a..z, aa..z9, aaa..), skipping keywords and `taken`. */
function* nameSequence(taken: ReadonlySet<string>): Generator<string> {
  for (let length = 1; ; length += 1) {
    const total = FIRST.length * REST.length ** (length - 1);
    for (let n = 0; n < total; n += 1) {
      let name = FIRST[n % FIRST.length];
      for (let rest = Math.floor(n / FIRST.length), k = 1; k < length; k += 1, rest = Math.floor(rest / REST.length)) name += REST[rest % REST.length];
      if (!KEYWORDS.has(name) && !taken.has(name)) yield name;
    }
  }
}

/** Binding kinds that are a function's own: parameters, var/let/const, inner function declarations. */
const RENAMED_KINDS = new Set(["param", "var", "let", "const", "hoisted"]);

/** The plugin; a top-level name is renamed only where `keep(name)` is false. */
export const shortNames = (keep: (topLevelName: string) => boolean): babel.PluginFactory => () => ({
  name: "short-names",
  visitor: {
    Program(program) {
      const taken = new Set<string>();
      program.traverse({ Identifier: (path) => void taken.add(path.node.name) });
      const names = nameSequence(taken);
      for (const [name, binding] of Object.entries(program.scope.bindings)) {
        if (keep(name) || !RENAMED_KINDS.has(binding.kind) || binding.path.isClassDeclaration()) continue;
        program.scope.rename(name, names.next().value as string);
      }
      const done = new Set<babel.Scope>([program.scope]);
      program.traverse({
        // A function's body block shares its function's scope: visit each scope once.
        Scopable(path) {
          if (done.has(path.scope)) return;
          done.add(path.scope);
          for (const [name, binding] of Object.entries(path.scope.bindings)) {
            if (!RENAMED_KINDS.has(binding.kind) || binding.path.isClassDeclaration()) continue;
            path.scope.rename(name, names.next().value as string);
          }
        },
      });
    },
  },
});

/** Parameters and locals only, every top-level name kept. */
export const shortLocalNames = shortNames(() => true);
