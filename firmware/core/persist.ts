/**
 * The persisted state: level, cause, boot counter, RNG seed and the event log, written to two
 * alternating Storage slots so that a power loss in the middle of a write leaves the other
 * slot whole. Written on level changes and boots only, never per heartbeat (flash wears).
 *
 * Slot text: `S1 <write> <level> <cause> <boot> <seed> <lognext> <loghead>` then one line
 * per log entry, then `#<hash>` where hash is 16 hex of SHA-256 over everything before it.
 */
import { LEVEL_MAX, LEVEL_OFFLINE, NONCE_HEX_CHARS, CAUSE_STATE, HASH_HEX_CHARS } from "../../protocol/constants.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { isHex } from "../../protocol/hex.ts";
import { shortHash, type Sha256 } from "../../protocol/hmac.ts";
import { EventLog } from "./event-log.ts";
import { LOG_ENTRIES_MAX } from "./limits.ts";

export const STATE_FILES = ["gst0", "gst1"];
const SLOT_HASH_HEX_CHARS = 16;

export interface PersistedState {
  /** Write counter: the slot with the higher one is newer. */
  write: number;
  level: number;
  cause: string;
  boot: number;
  seed: string;
  log: EventLog;
}

/** The text of one slot. */
export function encodeState(s: PersistedState, sha256: Sha256): string {
  let body = "S1 " + s.write + " " + s.level + " " + s.cause + " " + s.boot + " " + s.seed + " " + s.log.next + " " + s.log.head;
  for (let i = 0; i < s.log.entries.length; i++) body += "\n" + s.log.entries[i];
  return body + "\n#" + shortHash(body, sha256, SLOT_HASH_HEX_CHARS);
}

/** Parses one slot; undefined when absent, torn or tampered with. */
export function decodeState(text: string | undefined, sha256: Sha256): PersistedState | undefined {
  if (text === undefined) return undefined;
  const mark = text.lastIndexOf("\n#");
  if (mark < 0) return undefined;
  const body = text.substring(0, mark);
  if (text.substring(mark + 2) !== shortHash(body, sha256, SLOT_HASH_HEX_CHARS)) return undefined;
  const lines = body.split("\n");
  const f = lines[0].split(" ");
  if (f.length !== 8 || f[0] !== "S1" || !isDecimal(f[1], 10) || parseLevel(f[2]) < 0 || !isDecimal(f[4], 10)) return undefined;
  if (!isHex(f[5], NONCE_HEX_CHARS) || !isDecimal(f[6], 10) || !isHex(f[7], HASH_HEX_CHARS)) return undefined;
  if (lines.length - 1 > LOG_ENTRIES_MAX) return undefined;
  const log = new EventLog();
  log.entries = lines.slice(1);
  log.next = parseInt(f[6], 10);
  log.head = f[7];
  return { write: parseInt(f[1], 10), level: parseLevel(f[2]), cause: f[3], boot: parseInt(f[4], 10), seed: f[5], log: log };
}

/**
 * Chooses the state to boot from. The newest whole slot wins; but if either slot is damaged
 * the newest write may be the lost one (a trip being recorded when power failed), so the
 * level is then at least offline: doubt never lowers the level.
 */
export function chooseState(slots: (string | undefined)[], sha256: Sha256): { state?: PersistedState; damaged: boolean } {
  let best: PersistedState | undefined;
  let damaged = false;
  for (let i = 0; i < slots.length; i++) {
    const s = decodeState(slots[i], sha256);
    if (s === undefined && slots[i] !== undefined) damaged = true;
    if (s !== undefined && (best === undefined || s.write > best.write)) best = s;
  }
  // Slots are written alternately from write 0, so from write 1 on both must exist.
  if (best !== undefined && best.write >= 1 && (slots[0] === undefined || slots[1] === undefined)) damaged = true;
  if (best !== undefined && damaged) {
    best.level = Math.max(best.level, LEVEL_OFFLINE);
    best.cause = CAUSE_STATE;
  }
  if (best !== undefined && best.level > LEVEL_MAX) return { damaged: true };
  return { state: best, damaged: damaged };
}
