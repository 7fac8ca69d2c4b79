/**
 * HMAC-SHA256 (RFC 2104) on an injected SHA-256, because Espruino has SHA256 but no HMAC.
 * The firmware passes `require("crypto").SHA256`; Node code passes node:crypto.
 */
import { asciiBytes, toHex } from "./hex.ts";
import { TAG_HEX_CHARS } from "./constants.ts";

/** SHA-256 of `data`, 32 bytes. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

const BLOCK_BYTES = 64;

/** The two padded key blocks; derived once per key so each MAC costs two hashes only. */
export class HmacKey {
  inner: Uint8Array = new Uint8Array(BLOCK_BYTES);
  outer: Uint8Array = new Uint8Array(BLOCK_BYTES);
  constructor(key: Uint8Array, sha256: Sha256) {
    const k = key.length > BLOCK_BYTES ? sha256(key) : key;
    for (let i = 0; i < BLOCK_BYTES; i++) {
      const b = i < k.length ? k[i] : 0;
      this.inner[i] = b ^ 0x36;
      this.outer[i] = b ^ 0x5c;
    }
  }
}

/** Full 32-byte HMAC-SHA256 of an ASCII message. */
export function hmacSha256(key: HmacKey, message: string, sha256: Sha256): Uint8Array {
  const text = asciiBytes(message);
  const innerInput = new Uint8Array(BLOCK_BYTES + text.length);
  innerInput.set(key.inner, 0);
  innerInput.set(text, BLOCK_BYTES);
  const innerHash = sha256(innerInput);
  const outerInput = new Uint8Array(BLOCK_BYTES + 32);
  outerInput.set(key.outer, 0);
  outerInput.set(innerHash, BLOCK_BYTES);
  return sha256(outerInput);
}

/** The protocol's tag: the first 16 bytes of HMAC-SHA256, as 32 hex digits. */
export function tag(key: HmacKey, message: string, sha256: Sha256): string {
  return toHex(hmacSha256(key, message, sha256), TAG_HEX_CHARS / 2);
}

/** First `hexChars` hex digits of SHA-256 over an ASCII string (log and state hashes). */
export function shortHash(message: string, sha256: Sha256, hexChars: number): string {
  return toHex(sha256(asciiBytes(message)), hexChars / 2);
}
