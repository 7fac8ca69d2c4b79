/**
 * SR-1 and the ladder: a network path conducts only at standard or probation, a power path
 * only up to severed, an actuator only once its irreversible level is reached; nothing
 * conducts once the supply is gone. Judged GRACE_MS (more on a real target: graceMs) after each announcement or power loss,
 * because the frame saying so leaves after the relay was already told to open.
 */
import { LEVEL_DECAPITATION, LEVEL_IMMOLATION, LEVEL_PROBATION, LEVEL_SEVERED } from "../../protocol/constants.ts";
import { announcements } from "./announcements.ts";
import { graceMs, ms, type Checker } from "./checker.ts";
import { conductingIntervals, conductsAt } from "./intervals.ts";

/** Whether a path of `kind` may conduct at `level`. */
export function allowedAt(kind: string, level: number): boolean {
  if (kind === "network") return level <= LEVEL_PROBATION;
  if (kind === "power") return level <= LEVEL_SEVERED;
  if (kind === "decapitation") return level >= LEVEL_DECAPITATION;
  return level >= LEVEL_IMMOLATION;
}

export const pathsFollowLevel: Checker = {
  name: "paths-follow-level",
  requirement: "SR-1",
  check(input) {
    const { timeline, pathKinds, endMs } = input;
    const violations: string[] = [];
    const grace = graceMs(input);
    const intervals = conductingIntervals(timeline, pathKinds.length);
    const moments = announcements(timeline).map((a) => ({ atMs: a.atMs, level: a.level, why: `"${a.text}"` }));
    for (const event of timeline.of("power")) if (!event.on) moments.push({ atMs: event.atMs, level: -1, why: "power lost" });
    for (const moment of moments) {
      pathKinds.forEach((kind, path) => {
        const allowed = moment.level >= 0 && allowedAt(kind, moment.level);
        const checkMs = moment.atMs + grace;
        if (!allowed && checkMs <= endMs && conductsAt(intervals[path], checkMs)) {
          violations.push(`path ${path} (${kind}) still conducted ${grace} ms after ${moment.why} at ${ms(moment.atMs)}`);
        }
      });
    }
    return violations;
  },
};
