/**
 * SR-11: the firmware never crashes: no uncaught exception, no call to an API the board lacks,
 * no interpreter error flag the bench did not inject, no internal exception contained by the
 * fail-safe handler (a LEVEL frame with cause `exception` is a bug found, even if it tripped).
 */
import type { Timeline } from "../harness/timeline.ts";
import { type Checker } from "./checker.ts";

/** Whether a fault whose description matches `pattern` was injected at or before `atMs`. */
export function faultInjectedBefore(timeline: Timeline, pattern: RegExp, atMs: number): boolean {
  return timeline.of("fault").some((event) => event.atMs <= atMs && pattern.test(event.description));
}

/**
 * SR-6 and SR-11: no watchdog reset the bench did not provoke by hanging the firmware or by
 * exhausting its memory (which removes the interval it ran out in, as on Espruino). A
 * controller that halts (stops its control cycle after a failure) is reset by the watchdog:
 * safe for the paths, but the failure itself was a bug, and its trip was not persisted.
 */
export const noUnprovokedReset: Checker = {
  name: "no-unprovoked-reset",
  requirement: "SR-11",
  check({ timeline }) {
    return timeline.of("boot")
      .filter((event) => event.cause === "watchdog" && !faultInjectedBefore(timeline, /firmware-hang|memory-pressure/, event.atMs))
      .map((event) => `unprovoked watchdog reset at ${event.atMs.toFixed(3)} ms: the firmware stopped its control cycle (halted or hung) without an injected hang`);
  },
};

export const firmwareHealthy: Checker = {
  name: "firmware-healthy",
  requirement: "SR-11",
  check({ timeline }) {
    const violations: string[] = [];
    const injectedBefore = (pattern: RegExp, atMs: number): boolean => faultInjectedBefore(timeline, pattern, atMs);
    for (const event of timeline.of("firmware")) {
      // A hung interpreter stops reading its UARTs, so their buffers overflow: expected then.
      if (event.problem === "error-flag" && injectedBefore(/error-flag|memory-pressure|firmware-hang/, event.atMs)) continue;
      violations.push(`${event.problem} at ${event.atMs.toFixed(3)} ms: ${event.text}`);
    }
    for (const event of timeline.of("rx")) {
      if (event.link === "host" && /^LEVEL \d exception$/.test(event.text)) violations.push(`the firmware caught an internal exception at ${event.atMs.toFixed(3)} ms ("${event.text}")`);
    }
    return violations;
  },
};
