/**
 * What Espruino's variable store charges for each kind of value, in variable blocks: the
 * storage rules of Espruino's JsVar (src/jsvar.h, src/jsutils.h of the interpreter), and
 * the figures measured on the real 2v29 interpreter that pin them down
 * (memory-calibration.tsv, checked by calibration.test.ts). Pure functions, no state.
 *
 * Every value is one or more fixed-size blocks. A block's size follows from the number of
 * variables the build has, because a reference to a block must be able to name every block.
 * A normal string keeps a few characters in its first block and more in each extension
 * block; a "flat" string (used for copies longer than the break-even length: function code,
 * typed-array data) is one header block followed by raw bytes. Names (of globals, properties,
 * array indices, parameters, scope entries) are strings of their own, and a name can hold a
 * small integer value in itself.
 */

export interface BlockLayout {
  /** Bits of a block reference. */
  refBits: number;
  /** Bytes of one block (process.memory().blocksize). */
  blockBytes: number;
  /** Characters a name's first block holds (4 on 32-bit builds). */
  nameChars: number;
  /** Characters a string's first block holds. */
  stringChars: number;
  /** Characters each string extension block holds. */
  extensionChars: number;
  /** A copied string longer than this becomes a flat string (one header, then raw bytes). */
  flatBreakEvenChars: number;
  /** A small integer stored inside a name needs no block of its own within ±this. */
  inlineIntMax: number;
}

/** Reference width, block size and reference-count width as the interpreter picks them from the variable count. */
const REF_SIZES: { maxVariables: number; refBits: number; blockBytes: number; refCountBits: number }[] = [
  { maxVariables: 1023, refBits: 10, blockBytes: 12, refCountBits: 8 },
  { maxVariables: 2047, refBits: 11, blockBytes: 12, refCountBits: 4 },
  { maxVariables: 4095, refBits: 12, blockBytes: 13, refCountBits: 8 },
  { maxVariables: 8191, refBits: 13, blockBytes: 13, refCountBits: 4 },
  { maxVariables: 16383, refBits: 14, blockBytes: 14, refCountBits: 8 },
  { maxVariables: 65535, refBits: 16, blockBytes: 16, refCountBits: 8 },
];

/** Names keep 4 characters in their first block on 32-bit builds (every board; 8 on a 64-bit host build). */
const NAME_CHARS_32BIT = 4;

export function blockLayout(variables: number): BlockLayout {
  const size = REF_SIZES.find((candidate) => variables <= candidate.maxVariables);
  if (size === undefined) throw new Error(`${variables} variables is more than Espruino's 65,535-block limit`);
  const stringChars = NAME_CHARS_32BIT + ((size.refBits * 3) >> 3);
  const extensionChars = NAME_CHARS_32BIT + ((size.refBits * 3 + size.refCountBits) >> 3);
  return {
    refBits: size.refBits,
    blockBytes: size.blockBytes,
    nameChars: NAME_CHARS_32BIT,
    stringChars,
    extensionChars,
    flatBreakEvenChars: stringChars + extensionChars,
    inlineIntMax: (1 << (size.refBits - 1)) - 1,
  };
}

/** A normal (chained) string of `chars` characters: the first block, then extension blocks. */
export function stringBlocks(layout: BlockLayout, chars: number): number {
  return chars <= layout.stringChars ? 1 : 1 + Math.ceil((chars - layout.stringChars) / layout.extensionChars);
}

/** A flat string: one header block, then the bytes packed into whole blocks. */
export function flatStringBlocks(layout: BlockLayout, chars: number): number {
  return 1 + Math.ceil(chars / layout.blockBytes);
}

/** A copy of text the interpreter makes (function code, typed-array data): flat above the break-even length. */
export function copiedStringBlocks(layout: BlockLayout, chars: number): number {
  return chars > layout.flatBreakEvenChars ? flatStringBlocks(layout, chars) : stringBlocks(layout, chars);
}

/** A name (global, property, parameter, scope entry): 4 characters in its block, the rest in extensions. */
export function nameBlocks(layout: BlockLayout, chars: number): number {
  return chars <= layout.nameChars ? 1 : 1 + Math.ceil((chars - layout.nameChars) / layout.extensionChars);
}

/** Whether a number can live inside the name that holds it (no block of its own). */
export function isInlineInt(layout: BlockLayout, value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= layout.inlineIntMax;
}

/**
 * A typed array of `bytes` bytes: view, buffer and its data (flat above the break-even length).
 * The first typed array of a kind also makes its constructor's object (first-use.ts): measured,
 * a `Uint8Array(100)` costs 20 blocks with its global name the first time and 12 after.
 */
export function typedArrayBlocks(layout: BlockLayout, bytes: number): number {
  return 2 + copiedStringBlocks(layout, bytes);
}

/**
 * A class's own bookkeeping besides its constructor function and methods: the prototype
 * (its name and object) and the prototype's link back to the constructor. Fitted to the
 * measured class cases (37 blocks for a class with a constructor and 5 methods).
 */
export const CLASS_OVERHEAD_BLOCKS = 5;

/** An object made with `new` carries a link to its prototype: a name of 9 characters. */
export function instanceOverheadBlocks(layout: BlockLayout): number {
  return nameBlocks(layout, "__proto__".length);
}

/** An event listener's entry on its emitter (a hidden `#on<event>` name and a reference), measured on 2v29. */
export const LISTENER_BLOCKS = 2;
