/**
 * Decides whether a REPL input line is a complete statement, as Espruino's
 * jsiCountBracketsInInput does: it counts ( [ { against ) ] } outside strings, comments,
 * template literals and regular expressions. The REPL runs the line when the count is 0 or
 * less, and otherwise waits for more lines.
 *
 * Like Espruino: an unfinished string counts as complete (so it runs and reports its syntax
 * error at once), while an unfinished comment or template literal counts as open.
 */

/** What Espruino returns for an unfinished comment or template: "certainly still open". */
export const BRACKETS_UNFINISHED = 1000;

/** Tokens after which a `/` divides; after anything else it starts a regular expression. */
const ENDS_OPERAND = /[A-Za-z0-9_$)\]}]/;
const REGEX_AFTER_WORDS = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else"]);

/** Open brackets minus closed ones in `input` (stops counting at the first excess closer). */
export function countBrackets(input: string): number {
  let brackets = 0;
  let lastSignificant = "";
  let lastWord = "";
  let index = 0;
  while (index < input.length) {
    const char = input[index];
    const next = input[index + 1];
    if (char === "/" && next === "/") {
      const end = input.indexOf("\n", index);
      if (end < 0) break;
      index = end + 1;
      continue;
    }
    if (char === "/" && next === "*") {
      const end = input.indexOf("*/", index + 2);
      if (end < 0) return BRACKETS_UNFINISHED;
      index = end + 2;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = skipQuoted(input, index, char);
      if (end < 0) return 0;
      index = end;
      lastSignificant = char;
      continue;
    }
    if (char === "`") {
      const end = skipTemplate(input, index);
      if (end < 0) return BRACKETS_UNFINISHED;
      index = end;
      lastSignificant = char;
      continue;
    }
    if (char === "/" && startsRegex(lastSignificant, lastWord)) {
      const end = skipRegex(input, index);
      if (end < 0) return 0;
      index = end;
      lastSignificant = "/";
      continue;
    }
    if (/[A-Za-z_$]/.test(char)) {
      const match = /^[A-Za-z0-9_$]+/.exec(input.slice(index))!;
      lastWord = match[0];
      lastSignificant = "a";
      index += lastWord.length;
      continue;
    }
    if (char === "(" || char === "[" || char === "{") brackets++;
    if (char === ")" || char === "]" || char === "}") brackets--;
    if (brackets < 0) break;
    if (!/\s/.test(char)) {
      lastSignificant = char;
      lastWord = "";
    }
    index++;
  }
  return brackets;
}

function startsRegex(lastSignificant: string, lastWord: string): boolean {
  if (lastSignificant === "a") return REGEX_AFTER_WORDS.has(lastWord);
  return !ENDS_OPERAND.test(lastSignificant);
}

/** Index just past the closing quote, or -1 when the string is unfinished on this line. */
function skipQuoted(input: string, start: number, quote: string): number {
  for (let index = start + 1; index < input.length; index++) {
    const char = input[index];
    if (char === "\\") index++;
    else if (char === quote) return index + 1;
    else if (char === "\n") return -1;
  }
  return -1;
}

/** Index just past the closing backtick (skipping `${ ... }` parts), or -1 when unfinished. */
function skipTemplate(input: string, start: number): number {
  let depth = 0;
  for (let index = start + 1; index < input.length; index++) {
    const char = input[index];
    if (char === "\\") index++;
    else if (depth === 0 && char === "`") return index + 1;
    else if (char === "$" && input[index + 1] === "{") {
      depth++;
      index++;
    } else if (depth > 0 && char === "{") depth++;
    else if (depth > 0 && char === "}") depth--;
  }
  return -1;
}

/** Index just past a regular expression's flags, or -1 when it does not end on this line. */
function skipRegex(input: string, start: number): number {
  let inClass = false;
  for (let index = start + 1; index < input.length; index++) {
    const char = input[index];
    if (char === "\\") index++;
    else if (char === "\n") return -1;
    else if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) {
      let end = index + 1;
      while (end < input.length && /[a-z]/.test(input[end])) end++;
      return end;
    }
  }
  return -1;
}
