/** Hex helpers for the wire format. Espruino-safe: no spread, no Array.from. */
import { sha256Text } from "#sha256";

/**
 * Lowercase hex of `bytes[0 .. count)`; `count` defaults to the whole array. Four bytes per
 * step, each one native conversion padded only when the word lost a leading zero digit: the
 * board interprets loops slowly.
 */
export function toHex(bytes: Uint8Array, count?: number): string {
  const n = count === undefined ? bytes.length : count;
  const words = new DataView(bytes.buffer, bytes.byteOffset, n);
  let out = "";
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const word = words.getUint32(i).toString(16);
    out += word.length === 8 ? word : "0000000".substring(word.length - 1) + word;
  }
  for (; i < n; i++) out += (bytes[i] + 256).toString(16).substring(1);
  return out;
}

/**
 * True when `text` is exactly `length` lowercase hex digits. Regular expressions run natively
 * on the board, where a loop over the characters would be interpreted (this runs per frame).
 */
export function isHex(text: string, length: number): boolean {
  return text.length === length && /^[0-9a-f]*$/.test(text);
}

/**
 * Bytes of a lowercase hex string already checked with isHex: four bytes per native parse,
 * since the board interprets a loop per byte slowly (five operator keys are 160 bytes at boot).
 */
export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  const words = new DataView(out.buffer);
  let i = 0;
  for (; i + 8 <= text.length; i += 8) words.setUint32(i >> 1, parseInt(text.substring(i, i + 8), 16));
  for (; i + 2 <= text.length; i += 2) out[i >> 1] = parseInt(text.substring(i, i + 2), 16);
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
