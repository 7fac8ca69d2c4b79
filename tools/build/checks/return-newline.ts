/**
 * `return` followed by a line break. Standard JavaScript ends the statement there (so acorn
 * sees a bare `return`); Espruino does not, and returns the next line's value instead. Either
 * reading is a bug, so a bare `return` whose next token sits on a later line, and is not a
 * `;` or `}`, is reported.
 */
import type * as acorn from "acorn";
import * as walk from "acorn-walk";
import type { Report } from "../../../simulator/interpreter/violation.ts";

const RETURN_KEYWORD_LENGTH = "return".length;

/** Reports every `return` that a line break separates from what follows it. */
export function checkReturnNewline(program: acorn.Program, source: string, report: Report): void {
  walk.simple(program, {
    ReturnStatement(node) {
      if (node.argument) return;
      const next = nextTokenAfter(source, node.start + RETURN_KEYWORD_LENGTH);
      if (next.crossesLine && next.char !== ";" && next.char !== "}" && next.char !== "") {
        report(node.start, "return followed by a newline", "Espruino does not end the statement at the line break; put the value on the same line as return");
      }
    },
  });
}

/** The first character after `offset` that is neither whitespace nor comment, and whether a line break came first. */
function nextTokenAfter(source: string, offset: number): { char: string; crossesLine: boolean } {
  let crossesLine = false;
  let index = offset;
  while (index < source.length) {
    const char = source[index];
    if (char === "\n" || char === "\r" || char === "\u2028" || char === "\u2029") {
      crossesLine = true;
      index++;
    } else if (/\s/.test(char)) {
      index++;
    } else if (source.startsWith("//", index)) {
      const end = source.indexOf("\n", index);
      index = end === -1 ? source.length : end;
    } else if (source.startsWith("/*", index)) {
      const end = source.indexOf("*/", index + 2);
      const comment = source.slice(index, end === -1 ? source.length : end);
      if (/[\n\r\u2028\u2029]/.test(comment)) crossesLine = true;
      index = end === -1 ? source.length : end + 2;
    } else {
      return { char, crossesLine };
    }
  }
  return { char: "", crossesLine };
}
