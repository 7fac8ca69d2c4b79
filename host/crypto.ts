/** Node's SHA-256 in the shape protocol/hmac.ts expects (it takes the hash as a parameter). */
import { createHash } from "node:crypto";
import type { Sha256 } from "../protocol/hmac.ts";
import { asciiBytes, toHex } from "../protocol/hex.ts";

export const nodeSha256: Sha256 = (data) => new Uint8Array(createHash("sha256").update(data).digest());

/** Full SHA-256 of an ASCII string as 64 hex digits (stored-config and file digests). */
export function sha256HexOfText(text: string): string {
  return toHex(nodeSha256(asciiBytes(text)));
}
