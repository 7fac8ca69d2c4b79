/**
 * A board clock whose crystal runs fast or slow against another: two real boards never agree
 * on time, and the bench must correlate the probe's clock with its own (bench/probe/
 * clock-offset.ts). `driftPpm` > 0 runs fast: after 1 s of the base clock, 1 s + driftPpm us
 * have passed here. Timers are scheduled on the base clock, so both boards share one queue
 * and the same calls give the same order of events on a VirtualClock.
 */
import { TimersOnClock, type Clock } from "../clock.ts";

/** Timers land this far after their exact base time, so nowMs() never reads before the time asked for. */
const ROUNDING_GUARD_MS = 1e-6;

export class DriftingClock extends TimersOnClock {
  private readonly rate: number;

  constructor(private readonly base: Clock, readonly driftPpm: number) {
    super();
    if (!Number.isFinite(driftPpm) || Math.abs(driftPpm) >= 1e5) throw new Error(`clock drift must be a number of ppm below 100000 in size, got ${driftPpm}`);
    this.rate = 1 + driftPpm * 1e-6;
  }

  nowMs(): number {
    return this.base.nowMs() * this.rate;
  }

  setTimer(atMs: number, fn: () => void): number {
    return this.base.setTimer(atMs / this.rate + ROUNDING_GUARD_MS, fn);
  }

  clearTimer(id: number): void {
    this.base.clearTimer(id);
  }

  /** CPU time this board spends, in its own milliseconds, passes on the shared base clock. */
  charge(ms: number): void {
    this.base.charge(ms / this.rate);
  }
}
