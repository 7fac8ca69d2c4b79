/** Digests the host tools show and compare. */
import { sha256 } from "#sha256";
import { toHex } from "../protocol/hex.ts";

/** Full SHA-256 of an ASCII string as 64 hex digits (stored-config and file digests). */
export function sha256HexOfText(text: string): string {
  return toHex(sha256(text));
}
