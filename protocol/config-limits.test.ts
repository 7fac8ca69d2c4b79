import { describe, expect, it } from "vitest";
import * as limits from "./config-limits.ts";
import { FRAME_BYTES_MAX } from "./constants.ts";

describe("the configuration's bounds relate as the design needs", () => {
  it("the slowest allowed cycle kicks the watchdog at least four times per timeout", () => {
    expect(limits.WATCHDOG_MS).toBeGreaterThanOrEqual(4 * limits.CYCLE_MS_MAX);
  });
  it("a hung firmware is reset before the shortest heartbeat deadline passes", () => {
    expect(limits.WATCHDOG_MS).toBeLessThanOrEqual(limits.DEADLINE_MS_MIN);
  });
  it("the shortest deadline spans at least two of the slowest cycles, so none passes between two checks", () => {
    expect(limits.DEADLINE_MS_MIN).toBeGreaterThanOrEqual(2 * limits.CYCLE_MS_MAX);
  });
  it("a path's start-up test (six settle waits) fits in the longest deadline", () => {
    expect(limits.SETTLE_MS_MAX * 6).toBeLessThanOrEqual(limits.DEADLINE_MS_MAX);
  });
  it("operator signatures fit a 31-bit mask", () => {
    expect(limits.OPERATORS_MAX).toBeLessThanOrEqual(30);
  });
  it("the longest frame the controller sends fits the frame cap", () => {
    const longestLog = `LOG 4294967295 4294967295 4294967295 measurement 5 ${"0".repeat(32)}\n`;
    expect(longestLog.length).toBeLessThanOrEqual(FRAME_BYTES_MAX);
  });
});
