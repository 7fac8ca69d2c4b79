/**
 * The export file of `guillotine ops log export`: the controller's own LOG and LOGEND lines,
 * one per line, after `#` comment lines; then, when the export was vouched for, a `VOUCH <id>
 * <operator> <vnonce>` line (what the exporter asked the controller) and the controller's
 * `HEAD` reply. Keeping the wire text means `log verify` checks exactly what the controller said.
 */
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import { isControllerId } from "../protocol/fields.ts";
import { isHex } from "../protocol/hex.ts";
import { NONCE_HEX_CHARS } from "../protocol/constants.ts";
import type { LogEnd, LogEntry } from "./log-chain.ts";
import type { Vouch } from "./log-head.ts";

export interface LogExport {
  entries: LogEntry[];
  end: LogEnd;
  vouch?: Vouch;
}

export function formatLogExport(id: string, log: LogExport, exportedAt: Date): string {
  const lines = [`# guillotine event log of ${id}, exported ${exportedAt.toISOString()}`];
  for (const e of log.entries) lines.push(`LOG ${e.index} ${e.boot} ${e.uptimeS} ${e.cause} ${e.level} ${e.count} ${e.prev}`);
  lines.push(`LOGEND ${log.end.next} ${log.end.head}`);
  const vouch = log.vouch;
  if (vouch !== undefined) {
    lines.push(`VOUCH ${vouch.id} ${vouch.operator} ${vouch.nonce}`);
    lines.push(`HEAD ${vouch.head.next} ${vouch.head.head} ${vouch.head.tag}`);
  }
  return lines.join("\n") + "\n";
}

/** Parses a VOUCH line: `VOUCH <id> <operator> <vnonce>`. */
function parseVouch(line: string): Omit<Vouch, "head"> | undefined {
  const f = line.split(" ");
  if (f.length !== 4 || f[0] !== "VOUCH" || !isControllerId(f[1]) || !/^[0-9]$/.test(f[2]) || !isHex(f[3], NONCE_HEX_CHARS)) return undefined;
  return { id: f[1], operator: Number(f[2]), nonce: f[3] };
}

/** Parses an export; errors name the line. */
export function parseLogExport(text: string): LogExport | { error: string } {
  const entries: LogEntry[] = [];
  let end: LogEnd | undefined;
  let asked: Omit<Vouch, "head"> | undefined;
  let vouch: Vouch | undefined;
  const lines = text.split("\n");
  for (let number = 1; number <= lines.length; number++) {
    const line = lines[number - 1].replace(/\r$/, "");
    if (line === "" || line.startsWith("#")) continue;
    if (vouch !== undefined) return { error: `line ${number}: text after the HEAD line` };
    if (line.startsWith("VOUCH ")) {
      asked = parseVouch(line);
      if (asked === undefined || end === undefined) return { error: `line ${number}: expected VOUCH <id> <operator> <vnonce> after LOGEND` };
      continue;
    }
    const frame = parseControllerFrame(line);
    if (asked !== undefined) {
      if (frame.type !== "HEAD") return { error: `line ${number}: expected the HEAD reply after VOUCH` };
      vouch = { ...asked, head: { next: frame.next, head: frame.head, tag: frame.tag } };
    } else if (end !== undefined) {
      return { error: `line ${number}: text after LOGEND` };
    } else if (frame.type === "LOG") {
      const { type: _type, ...entry } = frame;
      entries.push(entry);
    } else if (frame.type === "LOGEND") {
      end = { next: frame.next, head: frame.head };
    } else {
      return { error: `line ${number}: not a LOG or LOGEND line${frame.type === "invalid" ? " (" + frame.reason + ")" : ""}` };
    }
  }
  if (end === undefined) return { error: "no LOGEND line: the export is cut short" };
  if (asked !== undefined && vouch === undefined) return { error: "VOUCH without the HEAD reply: the export is cut short" };
  return { entries, end, vouch };
}
