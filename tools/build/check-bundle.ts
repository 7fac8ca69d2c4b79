/**
 * The bundle checker. No JavaScript engine on Node reproduces Espruino's limits
 * (docs/espruino.md section 1), so the build parses its own output and rejects every construct the
 * interpreter refuses or runs wrongly. Each rule lives in checks/; this file parses, runs
 * them all and renders their findings for people.
 *
 * What it cannot see: anything decided at run time. It does not know the type of a value,
 * so `x.name` is reported only for functions, classes, `.constructor` and caught errors;
 * a missing global reached through an alias (`var M = globalThis["Map"]`) or a method read
 * off a prototype through a variable passes; use before definition follows calls one level
 * deep and only through plain names (see checks/definition-order.ts); RegExp patterns built
 * from non-literal strings are not checked; and library methods outside docs/espruino.md's table
 * are assumed to exist.
 */
import * as acorn from "acorn";
import { checkBuiltins } from "./checks/builtins.ts";
import { checkClassNames } from "./checks/class-names.ts";
import { checkDefinitionOrder } from "./checks/definition-order.ts";
import { checkLoopClosures } from "./checks/loop-closures.ts";
import { checkRegExps } from "./checks/regexp.ts";
import { checkReturnNewline } from "./checks/return-newline.ts";
import { checkSyntax } from "../../simulator/interpreter/espruino-syntax.ts";
import type { Violation } from "../../simulator/interpreter/violation.ts";

/** Characters of code shown on each side of a violation: bundles are one long line. */
const EXCERPT_CHARS = 30;

/**
 * Every violation in `code`, as `line:column construct: hint (near "excerpt")`, in source
 * order; empty when the code is fit for Espruino. Code that does not parse yields one entry.
 */
export function checkBundle(code: string): string[] {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script" });
  } catch (error) {
    const position = (error as { pos?: number }).pos ?? 0;
    return [formatViolation(code, { offset: position, construct: "syntax error", hint: (error as Error).message })];
  }
  const violations: Violation[] = [];
  const report = (offset: number, construct: string, hint: string): void => {
    violations.push({ offset, construct, hint });
  };
  checkSyntax(program, report);
  checkBuiltins(program, report);
  checkRegExps(program, report);
  checkReturnNewline(program, code, report);
  checkLoopClosures(program, report);
  checkClassNames(program, report);
  checkDefinitionOrder(program, (offset) => locate(code, offset), report);
  violations.sort((a, b) => a.offset - b.offset);
  return [...new Set(violations.map((violation) => formatViolation(code, violation)))];
}

function formatViolation(code: string, violation: Violation): string {
  const excerpt = code.slice(Math.max(0, violation.offset - EXCERPT_CHARS), violation.offset + EXCERPT_CHARS).replace(/\s+/g, " ");
  return `${locate(code, violation.offset)} ${violation.construct}: ${violation.hint} (near "${excerpt}")`;
}

/** `line:column`, both counted from 1. */
function locate(code: string, offset: number): string {
  const position = acorn.getLineInfo(code, offset);
  return `${position.line}:${position.column + 1}`;
}
