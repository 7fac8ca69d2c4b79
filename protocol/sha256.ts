/**
 * SHA-256, the protocol's one hash, as Node computes it. Code imports it as `#sha256`
 * (package.json "imports"): the firmware build asks for the "espruino" condition and gets
 * firmware/espruino/sha256.ts, the board's require("crypto").SHA256, instead.
 */
import { createHash } from "node:crypto";

/**
 * SHA-256 of `data`, 32 bytes. Text is hashed as one byte per character (the protocol is
 * ASCII; HMAC key blocks use 0-255), as Espruino hashes its strings: on the board that is one
 * native call, where converting to bytes first would be an interpreted loop per character.
 */
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(typeof data === "string" ? Buffer.from(data, "latin1") : data).digest());
}

/** SHA-256 of text as text, one character per byte (HMAC's inner hash goes straight into the outer one). */
export function sha256Text(data: string): string {
  return createHash("sha256").update(Buffer.from(data, "latin1")).digest().toString("latin1");
}
