/**
 * Checks an exported event log end to end (docs/protocol.md section 8): each entry's hash must
 * be the next entry's `prev`, indexes must follow each other, and the last hash must be the
 * `head` the controller reported in LOGEND. Reports the first broken link.
 */
import { HASH_HEX_CHARS } from "../protocol/constants.ts";
import { shortHash } from "../protocol/hmac.ts";
import { logEntryHashInput } from "../protocol/messages.ts";
import type { ControllerFrame } from "../protocol/controller-frames.ts";

export type LogEntry = Omit<Extract<ControllerFrame, { type: "LOG" }>, "type">;
export interface LogEnd {
  next: number;
  head: string;
}

export const ZERO_HASH = "0".repeat(HASH_HEX_CHARS);

export function entryHash(entry: LogEntry): string {
  return shortHash(logEntryHashInput(entry.prev, entry.index, entry.boot, entry.uptimeS, entry.cause, entry.level, entry.count), HASH_HEX_CHARS);
}

export type ChainVerdict =
  | { ok: true; first: number; last: number; head: string; complete: boolean }
  | { ok: false; index: number; problem: string };

export function verifyLogChain(entries: LogEntry[], end: LogEnd): ChainVerdict {
  if (entries.length === 0) {
    return end.next === 0 && end.head === ZERO_HASH
      ? { ok: true, first: 0, last: -1, head: end.head, complete: true }
      : { ok: false, index: end.next, problem: "the export holds no entries but the controller reports some" };
  }
  const first = entries[0];
  // An entry at index 0 has nothing before it: its prev must be the all-zero hash.
  if (first.index === 0 && first.prev !== ZERO_HASH) return { ok: false, index: 0, problem: "the first entry ever must have prev = 32 zeros" };
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1];
    const entry = entries[i];
    if (entry.index !== before.index + 1) {
      return { ok: false, index: entry.index, problem: `entry ${entry.index} follows entry ${before.index}: entries are missing` };
    }
    const hash = entryHash(before);
    if (entry.prev !== hash) {
      return { ok: false, index: entry.index, problem: `entry ${entry.index} says prev ${entry.prev} but entry ${before.index} hashes to ${hash}` };
    }
  }
  const last = entries[entries.length - 1];
  if (end.next !== last.index + 1) return { ok: false, index: end.next, problem: `LOGEND says the next index is ${end.next}, but the last entry is ${last.index}` };
  const head = entryHash(last);
  if (end.head !== head) return { ok: false, index: last.index, problem: `LOGEND head ${end.head} differs from the last entry's hash ${head}` };
  return { ok: true, first: first.index, last: last.index, head, complete: first.index === 0 };
}
