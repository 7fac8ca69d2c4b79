/** Hex helpers for the wire format. Espruino-safe: no spread, no Array.from. */

const HEX_DIGITS = "0123456789abcdef";

/** Lowercase hex of `bytes[0 .. count)`; `count` defaults to the whole array. */
export function toHex(bytes: Uint8Array, count?: number): string {
  const n = count === undefined ? bytes.length : count;
  let out = "";
  for (let i = 0; i < n; i++) out += HEX_DIGITS[bytes[i] >> 4] + HEX_DIGITS[bytes[i] & 15];
  return out;
}

/**
 * True when `text` is exactly `length` lowercase hex digits. Regular expressions run natively
 * on the board, where a loop over the characters would be interpreted (this runs per frame).
 */
export function isHex(text: string, length: number): boolean {
  return text.length === length && /^[0-9a-f]*$/.test(text);
}

/** Bytes of a lowercase hex string already checked with isHex. */
export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = HEX_DIGITS.indexOf(text[2 * i]) * 16 + HEX_DIGITS.indexOf(text[2 * i + 1]);
  }
  return out;
}

/** Compares two equal-length strings without an early exit on the first difference. */
export function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
