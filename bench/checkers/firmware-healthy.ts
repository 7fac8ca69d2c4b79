/**
 * SR-11: the firmware never crashes: no uncaught exception, no call to an API the board lacks,
 * no interpreter error flag the bench did not inject, no internal exception contained by the
 * fail-safe handler (a LEVEL frame with cause `exception` is a bug found, even if it tripped).
 */
import { type Checker } from "./checker.ts";

export const firmwareHealthy: Checker = {
  name: "firmware-healthy",
  requirement: "SR-11",
  check({ timeline }) {
    const violations: string[] = [];
    const injectedFlags = timeline.of("fault").some((event) => /error-flag|memory-pressure/.test(event.description));
    for (const event of timeline.of("firmware")) {
      if (event.problem === "error-flag" && injectedFlags) continue;
      violations.push(`${event.problem} at ${event.atMs.toFixed(3)} ms: ${event.text}`);
    }
    for (const event of timeline.of("rx")) {
      if (event.link === "host" && /^LEVEL \d exception$/.test(event.text)) violations.push(`the firmware caught an internal exception at ${event.atMs.toFixed(3)} ms ("${event.text}")`);
    }
    return violations;
  },
};
