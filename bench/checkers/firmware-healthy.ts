/**
 * SR-11: the firmware never crashes: no uncaught exception, no call to an API the board lacks,
 * no interpreter error flag the bench did not inject, no internal exception contained by the
 * fail-safe handler (a LEVEL frame with cause `exception` is a bug found, even if it tripped),
 * and no watchdog reset the bench did not provoke by hanging the firmware (a halted
 * controller stops kicking it).
 */
import { type Checker } from "./checker.ts";

export const firmwareHealthy: Checker = {
  name: "firmware-healthy",
  requirement: "SR-11",
  check({ timeline }) {
    const violations: string[] = [];
    const faults = timeline.of("fault");
    const injectedBefore = (pattern: RegExp, atMs: number): boolean => faults.some((event) => event.atMs <= atMs && pattern.test(event.description));
    for (const event of timeline.of("firmware")) {
      // A hung interpreter stops reading its UARTs, so their buffers overflow: expected then.
      if (event.problem === "error-flag" && injectedBefore(/error-flag|memory-pressure|firmware-hang/, event.atMs)) continue;
      violations.push(`${event.problem} at ${event.atMs.toFixed(3)} ms: ${event.text}`);
    }
    for (const event of timeline.of("rx")) {
      if (event.link === "host" && /^LEVEL \d exception$/.test(event.text)) violations.push(`the firmware caught an internal exception at ${event.atMs.toFixed(3)} ms ("${event.text}")`);
    }
    for (const event of timeline.of("boot")) {
      if (event.cause === "watchdog" && !injectedBefore(/firmware-hang/, event.atMs)) {
        violations.push(`unprovoked watchdog reset at ${event.atMs.toFixed(3)} ms: the firmware stopped its control cycle (halted or hung) without an injected hang`);
      }
    }
    return violations;
  },
};
