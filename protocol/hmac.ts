/**
 * HMAC-SHA256 (RFC 2104) on the protocol's SHA-256, because Espruino has SHA256 but no HMAC.
 */
import { sha256, sha256Text } from "#sha256";
import { toHex } from "./hex.ts";
import { TAG_HEX_CHARS } from "./constants.ts";

const BLOCK_BYTES = 64;

/**
 * The two padded key blocks, derived once per key so each MAC costs two hashes only. Both are
 * kept as text, one character per byte, and so is the inner hash: a MAC is two native hashes
 * of two concatenations, with no loop and no byte array on the way.
 */
export class HmacKey {
  innerText = "";
  outerText = "";
  constructor(key: Uint8Array) {
    const k = key.length > BLOCK_BYTES ? sha256(key) : key;
    for (let i = 0; i < BLOCK_BYTES; i++) {
      const b = i < k.length ? k[i] : 0;
      this.innerText += String.fromCharCode(b ^ 0x36);
      this.outerText += String.fromCharCode(b ^ 0x5c);
    }
  }
}

/** Full 32-byte HMAC-SHA256 of an ASCII message. */
export function hmacSha256(key: HmacKey, message: string): Uint8Array {
  return sha256(key.outerText + sha256Text(key.innerText + message));
}

/** The protocol's tag: the first 16 bytes of HMAC-SHA256, as 32 hex digits. */
export function tag(key: HmacKey, message: string): string {
  return toHex(hmacSha256(key, message), TAG_HEX_CHARS / 2);
}

/** First `hexChars` hex digits of SHA-256 over an ASCII string (log and state hashes). */
export function shortHash(message: string, hexChars: number): string {
  return toHex(sha256(message), hexChars / 2);
}
