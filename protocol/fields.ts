/** Field checks of the wire format (docs/protocol.md section 2), shared by firmware and tools. */
import { LEVEL_MAX } from "./constants.ts";

/** True when `text` is unsigned decimal without leading zeros, at most `digitsMax` digits. */
export function isDecimal(text: string, digitsMax: number): boolean {
  return text.length <= digitsMax && /^[0-9]+$/.test(text) && (text.length === 1 || text[0] !== "0");
}

/** The level a one-digit field names, or -1 when it is not a level. */
export function parseLevel(text: string): number {
  if (!isDecimal(text, 1)) return -1;
  const level = text.charCodeAt(0) - 48;
  return level <= LEVEL_MAX ? level : -1;
}

/** True when `text` is a controller id: 1-16 characters of a-z, 0-9 and '-'. */
export function isControllerId(text: string): boolean {
  if (text.length < 1 || text.length > 16) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45;
    if (!ok) return false;
  }
  return true;
}
