/**
 * SHA-256, the protocol's one hash, as Node computes it. Code imports it as `#sha256`
 * (package.json "imports"): the firmware build asks for the "espruino" condition and gets
 * firmware/espruino/sha256.ts, the board's require("crypto").SHA256, instead.
 */
import { createHash } from "node:crypto";

/** SHA-256 of `data`, 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}
