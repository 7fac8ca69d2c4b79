/**
 * The export file of `guillotine ops log export`: the controller's own LOG and LOGEND lines,
 * one per line, after `#` comment lines. Keeping the wire text means `log verify` checks
 * exactly what the controller said.
 */
import { parseControllerFrame } from "../host/frames.ts";
import type { LogEnd, LogEntry } from "./log-chain.ts";

export interface LogExport {
  entries: LogEntry[];
  end: LogEnd;
}

export function formatLogExport(id: string, log: LogExport, exportedAt: Date): string {
  const lines = [`# guillotine event log of ${id}, exported ${exportedAt.toISOString()}`];
  for (const e of log.entries) lines.push(`LOG ${e.index} ${e.boot} ${e.uptimeS} ${e.cause} ${e.level} ${e.prev}`);
  lines.push(`LOGEND ${log.end.next} ${log.end.head}`);
  return lines.join("\n") + "\n";
}

/** Parses an export; errors name the line. */
export function parseLogExport(text: string): LogExport | { error: string } {
  const entries: LogEntry[] = [];
  let end: LogEnd | undefined;
  const lines = text.split("\n");
  for (let number = 1; number <= lines.length; number++) {
    const line = lines[number - 1].replace(/\r$/, "");
    if (line === "" || line.startsWith("#")) continue;
    if (end !== undefined) return { error: `line ${number}: text after LOGEND` };
    const frame = parseControllerFrame(line);
    if (frame.type === "LOG") {
      const { type: _type, ...entry } = frame;
      entries.push(entry);
    } else if (frame.type === "LOGEND") {
      end = { next: frame.next, head: frame.head };
    } else {
      return { error: `line ${number}: not a LOG or LOGEND line${frame.type === "invalid" ? " (" + frame.reason + ")" : ""}` };
    }
  }
  if (end === undefined) return { error: "no LOGEND line: the export is cut short" };
  return { entries, end };
}
