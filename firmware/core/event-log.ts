/**
 * The bounded, hash-chained event log (docs/protocol.md section 8). It keeps the newest
 * LOG_ENTRIES_MAX entries as wire-format strings; each carries the hash of the one before.
 */
import { HASH_HEX_CHARS } from "../../protocol/constants.ts";
import { shortHash } from "../../protocol/hmac.ts";
import { logEntryHashInput } from "../../protocol/messages.ts";
import { assert } from "./assert.ts";
import { LOG_ENTRIES_MAX } from "./limits.ts";

export const GENESIS_HASH = "00000000000000000000000000000000";

export class EventLog {
  /** Entries oldest first, each `<index> <boot> <uptime> <cause> <level> <prev>`. */
  entries: string[] = [];
  /** Index the next entry takes. */
  next = 0;
  /** Hash of the newest entry (GENESIS_HASH before the first). */
  head = GENESIS_HASH;

  /** Appends an entry, dropping the oldest when full. */
  append(boot: number, uptimeS: number, cause: string, level: number): void {
    const entry = this.next + " " + boot + " " + uptimeS + " " + cause + " " + level + " " + this.head;
    this.head = shortHash(logEntryHashInput(this.head, this.next, boot, uptimeS, cause, level), HASH_HEX_CHARS);
    this.next++;
    this.entries.push(entry);
    if (this.entries.length > LOG_ENTRIES_MAX) this.entries.shift();
    assert(this.entries.length <= LOG_ENTRIES_MAX, "log within its cap");
  }

  /** The entry with `index`, or the oldest kept when `index` is older; undefined past the newest. */
  entryAt(index: number): string | undefined {
    if (index >= this.next || this.entries.length === 0) return undefined;
    const oldest = this.next - this.entries.length;
    return this.entries[index < oldest ? 0 : index - oldest];
  }
}
