/** Hex helpers for the wire format. Espruino-safe: no spread, no Array.from. */
import { sha256Text } from "#sha256";

const HEX_DIGITS = "0123456789abcdef";

/**
 * Lowercase hex of `bytes[0 .. count)`; `count` defaults to the whole array. Four bytes per
 * step, each word one native number-to-text call: the board interprets loops slowly, and a
 * tag is 16 bytes per frame.
 */
export function toHex(bytes: Uint8Array, count?: number): string {
  const n = count === undefined ? bytes.length : count;
  const words = new DataView(bytes.buffer, bytes.byteOffset, n);
  let out = "";
  let i = 0;
  for (; i + 4 <= n; i += 4) out += words.getUint32(i).toString(16).padStart(8, "0");
  for (; i < n; i++) out += HEX_DIGITS[bytes[i] >> 4] + HEX_DIGITS[bytes[i] & 15];
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

/**
 * Compares two strings in a time that says nothing about where they differ: each is hashed
 * first and the hashes compared. An early exit there reveals only how much of two hashes
 * agree, which an attacker cannot turn into the secret without inverting SHA-256. On the
 * board this is two native hashes instead of an interpreted loop per character (the loop
 * cost as much as the whole HMAC of a heartbeat).
 */
export function equalConstantTime(a: string, b: string): boolean {
  return a.length === b.length && sha256Text(a) === sha256Text(b);
}
