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

/** HMAC-SHA256 of `message`, as words: two native hashes of two concatenations, no loop and no byte array on the way. */
function macWords(key: HmacKey, message: string): DataView {
  return new DataView(sha256(key.outerText + sha256Text(key.innerText + message)).buffer);
}

/**
 * The protocol's tag: the first 16 bytes of HMAC-SHA256, as 32 hex digits. Four native
 * conversions written out, not a loop: a loop's test and step cost the board as much as its body.
 */
export function tag(key: HmacKey, message: string): string {
  const words = macWords(key, message);
  const hex = words.getUint32(0).toString(16) + words.getUint32(4).toString(16) + words.getUint32(8).toString(16) + words.getUint32(12).toString(16);
  // A word under 0x10000000 lost its leading zero digits (about one tag in four): word by word then.
  return hex.length === TAG_HEX_CHARS ? hex : toHex(new Uint8Array(words.buffer), TAG_HEX_CHARS / 2);
}

/**
 * True when `tagHex` (32 lowercase hex digits, already checked) is the tag of `message`, in a
 * time that says nothing of where they differ: each of the four words is parsed and compared
 * as a number, and the differences are combined before the one test. This is how a frame's
 * tag is checked on the board: no hex to build, and no hashing of both sides to compare them.
 */
export function tagMatches(key: HmacKey, message: string, tagHex: string): boolean {
  const mac = macWords(key, message);
  return ((mac.getUint32(0) ^ parseInt(tagHex.substring(0, 8), 16)) | (mac.getUint32(4) ^ parseInt(tagHex.substring(8, 16), 16)) | (mac.getUint32(8) ^ parseInt(tagHex.substring(16, 24), 16)) | (mac.getUint32(12) ^ parseInt(tagHex.substring(24, 32), 16))) === 0;
}

/** First `hexChars` hex digits of SHA-256 over an ASCII string (log and state hashes). */
export function shortHash(message: string, hexChars: number): string {
  return toHex(sha256(message), hexChars / 2);
}
