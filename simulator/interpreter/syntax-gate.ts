/**
 * Espruino's parser rejects syntax V8 accepts (default and rest parameters, spread,
 * destructuring, `?.`, `**`, computed keys, labels, generators, async...: docs/espruino.md
 * section 1). Code reaching the interpreter (REPL statements, saved code, boot code, string
 * timers) is checked with the build's own syntax rules first, and refused with a SyntaxError
 * as the board would. Only the syntax rules apply here: the build's other checks (hoisting,
 * loop closures...) describe code that parses on the board but behaves differently.
 */
import * as acorn from "acorn";
import { checkSyntax } from "./espruino-syntax.ts";

/** Results for recent code: a bundle is checked once, not at every boot. */
const CACHE_ENTRIES_MAX = 64;
const cache = new Map<string, string | undefined>();

/** Why Espruino would refuse to parse `code`, or undefined when it parses. V8's own syntax errors are left to V8. */
export function espruinoSyntaxProblem(code: string): string | undefined {
  if (cache.has(code)) return cache.get(code);
  let problem: string | undefined;
  try {
    const program = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: false });
    checkSyntax(program, (offset, construct) => {
      problem ??= `${construct} is not supported by Espruino (at offset ${offset})`;
    });
  } catch {
    problem = undefined;
  }
  if (cache.size >= CACHE_ENTRIES_MAX) cache.delete(cache.keys().next().value!);
  cache.set(code, problem);
  return problem;
}
