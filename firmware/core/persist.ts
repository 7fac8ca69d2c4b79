/**
 * The persisted state: level, cause, boot counter, RNG seed and the event log, written to two
 * alternating Storage slots so that a power loss in the middle of a write leaves the other
 * slot whole. Written on level changes and boots only, never per heartbeat (flash wears).
 *
 * Slot text: the state as JSON, `\n#`, then 16 hex of SHA-256 over the JSON.
 */
import { CAUSE_STATE, LEVEL_MAX, LEVEL_OFFLINE } from "../../protocol/constants.ts";
import { shortHash } from "../../protocol/hmac.ts";
import { STATE_FILES } from "../../protocol/storage-names.ts";
import { EventLog } from "./event-log.ts";
import { LOG_ENTRIES_MAX } from "./limits.ts";

const SLOT_HASH_HEX_CHARS = 16;

export interface PersistedState {
  /** Write counter: the slot with the higher one is newer. */
  write: number;
  level: number;
  cause: string;
  /** The boot in which `cause` was latched; lower than `boot` when the cause survived reboots. */
  causeBoot: number;
  boot: number;
  seed: string;
  log: EventLog;
}

/** The text of one slot. */
export function encodeState(s: PersistedState): string {
  const body = JSON.stringify({ write: s.write, level: s.level, cause: s.cause, causeBoot: s.causeBoot, boot: s.boot, seed: s.seed, entries: s.log.entries, next: s.log.next, head: s.log.head });
  return body + "\n#" + shortHash(body, SLOT_HASH_HEX_CHARS);
}

/** Parses one slot; undefined when absent, torn or tampered with. */
export function decodeState(text: string | undefined): PersistedState | undefined {
  const mark = text === undefined ? -1 : text.lastIndexOf("\n#");
  if (mark < 0) return undefined;
  const body = text!.substring(0, mark);
  if (text!.substring(mark + 2) !== shortHash(body, SLOT_HASH_HEX_CHARS)) return undefined;
  try {
    const v = JSON.parse(body);
    // The hash proves the slot whole and only this firmware writes it; the level is still
    // range-checked, and anything else amiss lands in the catch: a damaged slot.
    if (Math.floor(v.level) === v.level && typeof v.causeBoot === "number" && v.level >= 0 && v.level <= LEVEL_MAX && Array.isArray(v.entries) && v.entries.length <= LOG_ENTRIES_MAX) {
      const log = new EventLog();
      log.entries = v.entries;
      log.next = v.next;
      log.head = v.head;
      // The slot's own fields are the state's; entries, next and head move into the log.
      v.log = log;
      return v;
    }
  } catch (e) {
    // Not JSON, or not the shape written: damaged.
  }
  return undefined;
}

/**
 * Chooses the state to boot from. The newest whole slot wins; but if either slot is damaged
 * the newest write may be the lost one (a trip being recorded when power failed), so the
 * level is then at least offline: doubt never lowers the level.
 */
export function chooseState(slots: (string | undefined)[]): { state?: PersistedState; damaged: boolean } {
  let best: PersistedState | undefined;
  let damaged = false;
  for (let i = 0; i < slots.length; i++) {
    const s = decodeState(slots[i]);
    if (s === undefined && slots[i] !== undefined) damaged = true;
    if (s !== undefined && (best === undefined || s.write > best.write)) best = s;
  }
  // Slots are written alternately from write 0, so from write 1 on both must exist.
  if (best !== undefined && best.write >= 1 && (slots[0] === undefined || slots[1] === undefined)) damaged = true;
  if (best !== undefined && damaged) {
    best.level = Math.max(best.level, LEVEL_OFFLINE);
    best.cause = CAUSE_STATE;
  }
  return { state: best, damaged: damaged };
}
