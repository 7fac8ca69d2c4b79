/**
 * SR-9: a flood cannot make the controller talk without bound: at most 8 ERR replies per link
 * per one-second window. The firmware's window starts at the first error after the last one
 * expired, so any sliding second may hold up to two windows' worth: 16.
 */
import { ms, type Checker } from "./checker.ts";

export const ERR_REPLIES_PER_SLIDING_SECOND_MAX = 16;

export const errorRepliesBounded: Checker = {
  name: "error-replies-bounded",
  requirement: "SR-9",
  check({ timeline }) {
    const violations: string[] = [];
    for (const link of ["host", "ops"] as const) {
      // Judged when the controller sent them: a backed-up line delivers them bunched together.
      const times = timeline.of("rx").filter((event) => event.link === link && event.text.startsWith("ERR ")).map((event) => event.sentAtMs ?? event.atMs).sort((a, b) => a - b);
      for (let first = 0, last = 0; last < times.length; last++) {
        while (times[last] - times[first] >= 1000) first++;
        if (last - first + 1 > ERR_REPLIES_PER_SLIDING_SECOND_MAX) {
          violations.push(`${last - first + 1} ERR replies on the ${link} link within one second ending at ${ms(times[last])}`);
          break;
        }
      }
    }
    return violations;
  },
};
