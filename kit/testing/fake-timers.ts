/**
 * Test-only clock: time moves only when the test calls advanceMs, and callbacks due on the
 * way run in time order. Not used by any production code.
 */
import type { Cancel, Timers } from "../timers.ts";

interface Scheduled {
  dueMs: number;
  periodMs: number;
  callback: () => void;
  cancelled: boolean;
}

export class FakeTimers implements Timers {
  private currentMs = 0;
  private queue: Scheduled[] = [];

  nowMs(): number {
    return this.currentMs;
  }

  after(delayMs: number, callback: () => void): Cancel {
    return this.schedule(delayMs, 0, callback);
  }

  every(periodMs: number, callback: () => void): Cancel {
    if (periodMs <= 0) throw new Error("FakeTimers.every: period must be positive");
    return this.schedule(periodMs, periodMs, callback);
  }

  /** Moves the clock forward, running every callback that falls due, in order. */
  advanceMs(deltaMs: number): void {
    const endMs = this.currentMs + deltaMs;
    for (;;) {
      const next = this.nextDue(endMs);
      if (next === undefined) break;
      this.currentMs = next.dueMs;
      if (next.periodMs > 0) next.dueMs += next.periodMs;
      else next.cancelled = true;
      next.callback();
    }
    this.currentMs = endMs;
  }

  private nextDue(endMs: number): Scheduled | undefined {
    this.queue = this.queue.filter((entry) => !entry.cancelled);
    let best: Scheduled | undefined;
    for (const entry of this.queue) {
      if (entry.dueMs <= endMs && (best === undefined || entry.dueMs < best.dueMs)) best = entry;
    }
    return best;
  }

  private schedule(delayMs: number, periodMs: number, callback: () => void): Cancel {
    const entry: Scheduled = { dueMs: this.currentMs + delayMs, periodMs, callback, cancelled: false };
    this.queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }
}
