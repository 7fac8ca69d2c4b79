/**
 * SR-4 and SR-5: a network or power path conducts only while a heartbeat of the current
 * session, accepted after the last lowering, is within its deadline. A heartbeat counts as
 * accepted when the controller ACKed its sequence; its time is when it reached the controller
 * (exact on the simulated board, the send time elsewhere), not when the ACK came back, since
 * ACKs can queue behind other replies.
 */
import { parseControllerFrame } from "../../protocol/controller-frames.ts";
import type { Timeline } from "../harness/timeline.ts";
import { announcements } from "./announcements.ts";
import { graceMs, ms, type Checker, type CheckInput } from "./checker.ts";
import { conductingIntervals } from "./intervals.ts";
import { linesSent } from "./quorum-oracle.ts";

/** Times after which earlier heartbeats no longer count: boots, lowerings, power losses. */
function resets(input: CheckInput): number[] {
  const times = announcements(input.timeline).flatMap((a, index, all) => {
    const lowered = a.source === "level" && index > 0 && a.level < all[index - 1].level;
    return a.source === "boot" || lowered ? [a.atMs] : [];
  });
  for (const event of input.timeline.of("power")) if (!event.on) times.push(event.atMs);
  return times.sort((a, b) => a - b);
}

function epochOf(resetTimes: number[], atMs: number): number {
  let epoch = 0;
  while (epoch < resetTimes.length && resetTimes[epoch] <= atMs) epoch++;
  return epoch;
}

/**
 * Arrival times of the heartbeats the controller ACKed, sorted: HB lines as the controller read
 * them from the bytes sent (whoever built them), matched to ACKs by sequence number.
 */
export function acceptedHeartbeats(timeline: Timeline): number[] {
  const beats = linesSent(timeline, "host").flatMap((line) => {
    const f = line.text.split(" ");
    return f[0] === "HB" && f.length === 6 && /^\d{1,10}$/.test(f[2]) ? [{ atMs: line.atMs, seq: Number(f[2]) }] : [];
  });
  const acks = timeline.of("rx").flatMap((event) => {
    const frame = event.link === "host" ? parseControllerFrame(event.text) : undefined;
    return frame?.type === "ACK" ? [{ atMs: event.atMs, seq: frame.seq }] : [];
  });
  // Sequence numbers restart with each session: match each ACK to the latest HB sent before it.
  const arrivals = new Map<number, number>();
  const accepted: number[] = [];
  let next = 0;
  for (const ack of acks) {
    for (; next < beats.length && beats[next].atMs <= ack.atMs; next++) arrivals.set(beats[next].seq, beats[next].atMs);
    const arrival = arrivals.get(ack.seq);
    if (arrival === undefined) continue;
    accepted.push(arrival);
    arrivals.delete(ack.seq);
  }
  return accepted.sort((a, b) => a - b);
}

export const closedNeedsFreshHeartbeat: Checker = {
  name: "closed-needs-fresh-heartbeat",
  requirement: "SR-4",
  check(input) {
    const { timeline, config, pathKinds } = input;
    const violations: string[] = [];
    const grace = graceMs(input);
    const resetTimes = resets(input);
    const beats = acceptedHeartbeats(timeline);
    const levels = announcements(timeline);
    const levelAt = (atMs: number): number => levels.filter((a) => a.atMs <= atMs).at(-1)?.level ?? 0;
    const intervals = conductingIntervals(timeline, pathKinds.length);
    pathKinds.forEach((kind, path) => {
      if (kind !== "network" && kind !== "power") return;
      for (const interval of intervals[path]) {
        const endMs = Math.min(interval.endMs, input.endMs);
        const checkpoints = [interval.startMs, ...beats.filter((b) => b > interval.startMs && b < endMs).map((b) => b - 1e-6), endMs];
        for (const atMs of checkpoints) {
          // Contacts take a few ms to open after a power loss: judge against the epoch one grace earlier.
          const epoch = epochOf(resetTimes, atMs - grace);
          const last = beats.filter((b) => b <= atMs && epochOf(resetTimes, b) === epoch).at(-1);
          // Power rides out standard's and probation's deadlines until severed's; network trips at its level's.
          const deadlineMs = kind === "power" ? config.deadlineMs[2] : config.deadlineMs[levelAt(atMs) === 1 ? 1 : 0];
          if (last === undefined || atMs - last > deadlineMs + grace) {
            const since = last === undefined ? "no heartbeat was accepted in this session since the last boot or lowering" : `the last accepted heartbeat arrived at ${ms(last)}`;
            violations.push(`path ${path} (${kind}) conducted at ${ms(atMs)} but ${since} (deadline ${deadlineMs} ms)`);
            break;
          }
        }
      }
    });
    return violations;
  },
};
