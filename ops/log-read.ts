/**
 * Reads the whole kept event log from a controller: `LOG 0` answers the oldest kept entry,
 * then each next index until LOGEND. Bounded, so a misbehaving controller cannot keep us
 * reading forever.
 */
import { CommandError } from "../kit/command/command-error.ts";
import { EXIT_FAILED } from "../kit/command/exit-codes.ts";
import type { OpsClient } from "./client.ts";
import type { LogEntry } from "./log-chain.ts";
import type { LogExport } from "./log-file.ts";

/** Far above the firmware's LOG_ENTRIES_MAX; reaching it means the controller misbehaves. */
const LOG_READS_MAX = 1000;

export async function readLog(client: OpsClient, progress: (count: number) => void): Promise<LogExport> {
  const entries: LogEntry[] = [];
  let index = 0;
  for (let reads = 0; reads < LOG_READS_MAX; reads++) {
    const frame = await client.ask(`LOG ${index}`, "LOG", "LOGEND");
    if (frame.type === "LOGEND") return { entries, end: { next: frame.next, head: frame.head } };
    const { type: _type, ...entry } = frame;
    if (entries.length > 0 && entry.index <= entries[entries.length - 1].index) {
      throw new CommandError(EXIT_FAILED, `the controller answered LOG ${index} with entry ${entry.index}: the log moved backwards`);
    }
    entries.push(entry);
    progress(entries.length);
    index = entry.index + 1;
  }
  throw new CommandError(EXIT_FAILED, `more than ${LOG_READS_MAX} log reads without LOGEND`);
}
