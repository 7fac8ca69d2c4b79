/**
 * Regular-expression features Espruino's small regex engine lacks (docs/espruino.md section 1):
 * lookaround, counted quantifiers, word boundaries, named groups and flags other than g and
 * i; and patterns deeper than its matcher should recurse. Checks literals and
 * `RegExp("...")` / `new RegExp("...")` with literal arguments.
 *
 * Espruino's matcher (src/jswrap_regexp.c) calls itself once for every atom it matches,
 * anchor and parenthesis (a `*` or `+` loop is one call for the atom, then the rest of the
 * pattern one deeper), each call with a copy of its state of about a hundred bytes of C
 * stack, on top of the stack the interpreter's own calls already hold. On a board with a few
 * kilobytes of stack left a long pattern (the eight classes that stand for `[0-9a-f]{8}`)
 * ends in "Too much recursion", an exception where a frame was expected: a simulator on V8
 * never sees it, so the build refuses such a pattern.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Report } from "../../../simulator/interpreter/violation.ts";

/** Flags Espruino is known to honour; `m` fails there and the rest are unverified. */
const ALLOWED_FLAGS = "gi";

const COUNTED_QUANTIFIER = /^\{\d+(,\d*)?\}/;

/** The deepest a pattern may take the matcher: the firmware's field checks (`^[0-9a-f]*$` is 3) with room for a prefix. */
export const REGEX_DEPTH_MAX = 8;

const HINTS = {
  lookaround: "test the neighbouring characters in code after the match",
  counted: "check the length in code (repeating the atom makes the pattern too deep)",
  depth: "split the text and check each field with a short pattern, or check lengths and characters in code",
  boundary: "match the separating characters explicitly, e.g. (^|[^A-Za-z0-9_])",
  named: "use a numbered group and index the match array",
  flag: "drop the flag: split the text into lines first, or test characters in code",
};

/** Reports every unsupported regular-expression feature in `program`. */
export function checkRegExps(program: acorn.Program, report: Report): void {
  walk.simple(program, {
    Literal(node) {
      if (node.regex) checkPattern(node.regex.pattern, node.regex.flags, node.start, report);
    },
    CallExpression(node) {
      checkConstructorCall(node, report);
    },
    NewExpression(node) {
      checkConstructorCall(node, report);
    },
  });
}

function checkConstructorCall(node: acorn.CallExpression | acorn.NewExpression, report: Report): void {
  if (node.callee.type !== "Identifier" || node.callee.name !== "RegExp") return;
  const [pattern, flags] = node.arguments;
  if (pattern?.type !== "Literal" || typeof pattern.value !== "string") return;
  const flagText = flags?.type === "Literal" && typeof flags.value === "string" ? flags.value : "";
  checkPattern(pattern.value, flagText, node.start, report);
}

/** Scans one pattern, tracking escapes and character classes, and reports each feature once. */
function checkPattern(pattern: string, flags: string, offset: number, report: Report): void {
  const found = new Map<string, string>();
  let inClass = false;
  // Matcher calls: one per atom (a class counts once), anchor and parenthesis; quantifiers and alternation add none.
  let depth = 0;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    const rest = pattern.slice(index);
    if (!inClass && char !== "*" && char !== "+" && char !== "?" && char !== "|") depth++;
    if (char === "\\") {
      const escaped = pattern[index + 1];
      if (!inClass && (escaped === "b" || escaped === "B")) found.set("word boundary \\b", HINTS.boundary);
      if (escaped === "k" && pattern[index + 2] === "<") found.set("named group", HINTS.named);
      index++;
    } else if (inClass) {
      if (char === "]") inClass = false;
    } else if (char === "[") {
      inClass = true;
    } else if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
      found.set("lookaround", HINTS.lookaround);
    } else if (rest.startsWith("(?<")) {
      found.set("named group", HINTS.named);
    } else if (COUNTED_QUANTIFIER.test(rest)) {
      found.set("counted quantifier {n,m}", HINTS.counted);
    }
  }
  for (const flag of flags) {
    if (!ALLOWED_FLAGS.includes(flag)) found.set(`RegExp flag ${flag}`, HINTS.flag);
  }
  for (const [construct, hint] of found) report(offset, construct, `Espruino's regex engine lacks it; ${hint}`);
  if (depth > REGEX_DEPTH_MAX) report(offset, "regex too deep", `Espruino's matcher would call itself ${depth} times (at most ${REGEX_DEPTH_MAX}), which a board's stack may not hold; ${HINTS.depth}`);
}
