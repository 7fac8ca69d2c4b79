/**
 * The bounded, hash-chained event log (docs/protocol.md section 8). It keeps the newest
 * LOG_ENTRIES_MAX entries as wire-format strings; each carries the hash of the one before.
 * Consecutive boots share one entry that counts them, so a reset loop cannot flush the
 * entries that explain it.
 */
import { CAUSE_BOOT, HASH_HEX_CHARS } from "../../protocol/constants.ts";
import { shortHash } from "../../protocol/hmac.ts";
import { logEntryHashInput } from "../../protocol/messages.ts";
import { assert } from "./assert.ts";
import { LOG_ENTRIES_MAX } from "./limits.ts";

export const GENESIS_HASH = "0".repeat(HASH_HEX_CHARS);

export class EventLog {
  /** Entries oldest first, each `<index> <boot> <uptime> <cause> <level> <count> <prev>`. */
  entries: string[] = [];
  /** Index the next entry takes. */
  next = 0;
  /** Hash of the newest entry (GENESIS_HASH before the first). */
  head = GENESIS_HASH;

  /**
   * Appends an entry, dropping the oldest when full. A boot right after a boot entry at the
   * same level replaces it, counting one more boot: the newest entry has no successor whose
   * `prev` names its hash, so rewriting it breaks no link.
   */
  append(boot: number, uptimeS: number, cause: string, level: number): void {
    let count = 1;
    const last = (this.entries[this.entries.length - 1] || "").split(" ");
    if (cause === CAUSE_BOOT && last[3] === CAUSE_BOOT && last[4] === "" + level) {
      count = parseInt(last[5], 10) + 1;
      this.entries.pop();
      this.next--;
      this.head = last[6];
    }
    const entry = this.next + " " + boot + " " + uptimeS + " " + cause + " " + level + " " + count + " " + this.head;
    this.head = shortHash(logEntryHashInput(this.head, this.next, boot, uptimeS, cause, level, count), HASH_HEX_CHARS);
    this.next++;
    this.entries.push(entry);
    if (this.entries.length > LOG_ENTRIES_MAX) this.entries.shift();
    assert(this.entries.length <= LOG_ENTRIES_MAX, "log within its cap");
  }
}
