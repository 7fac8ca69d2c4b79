/**
 * SR-4 and SR-5: a network or power path conducts only while a heartbeat of the current
 * session, accepted after the last lowering, is within its deadline. The controller's ACK
 * arrives after it accepted the heartbeat, so ACK times make this check lenient, never strict.
 */
import { parseControllerFrame } from "../../host/frames.ts";
import { announcements } from "./announcements.ts";
import { GRACE_MS, ms, type Checker } from "./checker.ts";
import { conductingIntervals } from "./intervals.ts";

/** Times after which earlier heartbeats no longer count: boots, lowerings, power losses. */
function resets(input: Parameters<Checker["check"]>[0]): number[] {
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

export const closedNeedsFreshHeartbeat: Checker = {
  name: "closed-needs-fresh-heartbeat",
  requirement: "SR-4",
  check(input) {
    const { timeline, config, pathKinds } = input;
    const violations: string[] = [];
    const resetTimes = resets(input);
    const acks = timeline.of("rx").filter((event) => event.link === "host" && parseControllerFrame(event.text).type === "ACK").map((event) => event.atMs);
    const intervals = conductingIntervals(timeline, pathKinds.length);
    pathKinds.forEach((kind, path) => {
      if (kind !== "network" && kind !== "power") return;
      const deadlineMs = kind === "network" ? config.deadlineMs[0] : config.deadlineMs[2];
      for (const interval of intervals[path]) {
        const endMs = Math.min(interval.endMs, input.endMs);
        const checkpoints = [interval.startMs, ...acks.filter((a) => a > interval.startMs && a < endMs).map((a) => a - 1e-6), endMs];
        for (const atMs of checkpoints) {
          // Contacts take a few ms to open after a power loss: judge against the epoch GRACE_MS earlier.
          const epoch = epochOf(resetTimes, atMs - GRACE_MS);
          const last = acks.filter((a) => a <= atMs + GRACE_MS && epochOf(resetTimes, a) === epoch).at(-1);
          if (last === undefined || atMs - last > deadlineMs + GRACE_MS) {
            const since = last === undefined ? "no heartbeat accepted in this session since the last boot or lowering" : `the last ACK was at ${ms(last)}`;
            violations.push(`path ${path} (${kind}) conducted at ${ms(atMs)} but ${since} (deadline ${deadlineMs} ms)`);
            break;
          }
        }
      }
    });
    return violations;
  },
};
