/**
 * An honest estimate of Espruino's variable-block usage for process.memory(). V8 cannot say
 * how many Espruino blocks a heap would take, so the estimate adds up:
 * - a fixed base for a fresh interpreter (root, devices, hidden state);
 * - the code run from RAM (REPL statements and saved code): Espruino keeps the source text
 *   of every live function, about CHARS_PER_BLOCK characters per block, and under
 *   E.setFlags({pretokenise: 1}) keeps it tokenised: each keyword and multi-character
 *   operator one byte. Boot code run from flash (E.setBootCode) keeps its text in flash and
 *   is not counted;
 * - the data reachable from globals, event listeners, timers and watches: one block per
 *   object, array element or property, plus string and buffer contents;
 * - blocks taken by the memory-pressure fault.
 * Data held only in closures (the variables of a bundle's IIFE) is invisible to a walk from
 * outside V8, so the data part is a lower bound; the code part usually dominates.
 */

/** Bytes per variable block (12-17 depending on the build; 16 on the boards used here). */
export const BLOCK_BYTES = 16;
/** Characters of a string or function text per block. */
export const CHARS_PER_BLOCK = 12;
/** A fresh interpreter's own usage; an order of magnitude, not a measurement. */
export const INTERPRETER_BASE_BLOCKS = 60;
/** The walk stops after this many values, so a huge graph cannot stall the simulation. */
export const WALK_VALUES_MAX = 50_000;
/** Below this many free blocks Espruino is short of memory (raises LOW_MEMORY). */
export const LOW_MEMORY_FREE_BLOCKS = 100;

function stringBlocks(text: string): number {
  return 1 + Math.ceil(Math.max(0, text.length - 4) / CHARS_PER_BLOCK);
}

/** Blocks taken by everything reachable from `roots`, skipping `skip` (built-ins). */
export function dataBlocks(roots: unknown[], skip: Set<unknown>): number {
  const seen = new Set<unknown>(skip);
  const pending = [...roots];
  let blocks = 0;
  while (pending.length > 0 && seen.size < WALK_VALUES_MAX + skip.size) {
    const value = pending.pop();
    if (typeof value === "string") {
      blocks += stringBlocks(value);
      continue;
    }
    if ((typeof value !== "object" && typeof value !== "function") || value === null) {
      blocks += 1;
      continue;
    }
    if (seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      blocks += 2 + Math.ceil(value.byteLength / CHARS_PER_BLOCK);
      continue;
    }
    blocks += typeof value === "function" ? 2 : 1;
    for (const key of Object.keys(value)) {
      blocks += 1;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && "value" in descriptor) pending.push(descriptor.value);
    }
  }
  return blocks;
}

/** Words and operators Espruino's tokeniser stores as one byte (jslex.h, LEX_R_* and LEX_*). */
const TOKENS = /[A-Za-z_$][\w$]*|>>>=|===|!==|>>>|<<=|>>=|==|!=|<=|>=|<<|>>|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\+\+|--|&&|\|\||=>/g;
const RESERVED_WORDS = new Set([
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const", "this",
  "throw", "try", "catch", "finally", "true", "false", "null", "undefined", "new", "in", "instanceof", "switch",
  "case", "default", "delete", "typeof", "void", "debugger", "class", "extends", "super", "static", "of",
]);

/**
 * Characters `code` takes once its functions are defined: its length, or under pretokenise
 * its length with every reserved word and multi-character operator counted as one. Words
 * inside string literals are counted as tokens too: an estimate, a little low for code with
 * much text.
 */
export function storedCodeChars(code: string, pretokenised: boolean): number {
  if (!pretokenised) return code.length;
  let saved = 0;
  for (const match of code.matchAll(TOKENS)) {
    const token = match[0];
    if (!/^[A-Za-z_$]/.test(token) || RESERVED_WORDS.has(token)) saved += token.length - 1;
  }
  return code.length - saved;
}

export function codeBlocks(codeChars: number): number {
  return Math.ceil(codeChars / CHARS_PER_BLOCK);
}
