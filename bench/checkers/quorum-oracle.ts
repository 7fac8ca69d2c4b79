/**
 * Whether a valid operator quorum for a move to `level` had been sent before a time: the
 * controller issued `CHAL <nonce> <level> ...` on the ops link, and afterwards at least
 * `quorum` distinct operators' correctly signed AUTH lines for that nonce crossed the link.
 * The bytes sent are split into lines by the firmware's own LineReader, so a frame the fuzzer
 * mangled counts exactly as the controller would have read it.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import { isPrintable, LINE_OK, LineReader } from "../../protocol/lines.ts";
import { authLine } from "../../protocol/testing/signed-lines.ts";
import type { Timeline } from "../harness/timeline.ts";

interface SentLine {
  atMs: number;
  text: string;
}

/**
 * Lines the controller read from the bench on `link`, each with the time its LF reached the
 * controller (where the target knows it; else the send time). A power loss or a boot starts a
 * new reader, as the controller's new LineReader drops whatever half line it had.
 */
export function linesSent(timeline: Timeline, link: "host" | "ops"): SentLine[] {
  const lines: SentLine[] = [];
  let reader = new LineReader(link === "host" ? 0 : 1);
  let lfMs = 0;
  const sink = { onLine: (_link: number, text: string, status: number) => void (status === LINE_OK && isPrintable(text) && lines.push({ atMs: lfMs, text })) };
  for (const event of timeline.events) {
    if ((event.kind === "power" && !event.on) || event.kind === "boot") reader = new LineReader(0);
    if (event.kind !== "tx" || event.link !== link) continue;
    // Feed line by line, so each line gets the arrival time of its own LF.
    const byteMs = event.byteMs ?? 0;
    const lastMs = event.arrivesAtMs ?? event.atMs;
    let start = 0;
    for (let end = event.text.indexOf("\n"); end >= 0; end = event.text.indexOf("\n", start)) {
      lfMs = lastMs - (event.text.length - 1 - end) * byteMs;
      reader.feed(event.text.slice(start, end + 1), sink);
      start = end + 1;
    }
    reader.feed(event.text.slice(start), sink);
  }
  return lines;
}

export function opsLinesSent(timeline: Timeline): SentLine[] {
  return linesSent(timeline, "ops");
}

/** Challenges the controller issued: nonce, target, need, when the bench received them. */
function challengesIssued(timeline: Timeline): { atMs: number; nonce: string; target: number; need: number }[] {
  return timeline.of("rx").flatMap((event) => {
    const f = event.text.split(" ");
    if (event.link !== "ops" || f[0] !== "CHAL" || f.length !== 5) return [];
    return [{ atMs: event.sentAtMs ?? event.atMs, nonce: f[1], target: Number(f[2]), need: Number(f[4]) }];
  });
}

export function validQuorumBefore(timeline: Timeline, config: ControllerConfig, level: number, atMs: number, sent = opsLinesSent(timeline)): boolean {
  for (const challenge of challengesIssued(timeline)) {
    if (challenge.target !== level || challenge.atMs > atMs) continue;
    const signers = new Set<number>();
    for (const line of sent) {
      if (line.atMs < challenge.atMs || line.atMs > atMs || !line.text.startsWith(`AUTH ${config.id} ${level} ${challenge.nonce} `)) continue;
      for (let operator = 0; operator < config.operators.length; operator++) {
        if (line.text === authLine(config.id, challenge.nonce, level, operator, config.operators[operator])) signers.add(operator);
      }
    }
    if (signers.size >= config.quorum) return true;
  }
  return false;
}
