/** SHA-256 on the board (docs/espruino.md section 3: every supported board has it). See protocol/sha256.ts. */
const crypto = require("crypto");

/** SHA-256 of `data`, 32 bytes; text is hashed one byte per character, natively. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(crypto.SHA256(data));
}

/** SHA-256 of `data` as text, one character per byte: E.toString converts natively. */
export function sha256Text(data: string): string {
  return E.toString(crypto.SHA256(data));
}
