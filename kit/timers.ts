/**
 * The time interface every program here uses, injected so tests drive it on virtual time:
 * the host tools take a Timers, the simulated board a Clock (simulator/clock.ts), which is a
 * Timers with what a board needs on top; a test hands either a VirtualClock.
 */

/** Cancels a scheduled callback; safe to call more than once. */
export type Cancel = () => void;

export interface Timers {
  /** Milliseconds on a monotonic clock. */
  nowMs(): number;
  /** Runs `callback` once after `delayMs`. */
  after(delayMs: number, callback: () => void): Cancel;
  /** Runs `callback` every `periodMs` until cancelled. */
  every(periodMs: number, callback: () => void): Cancel;
}

/** Real timers on Node's event loop and performance clock. */
export const systemTimers: Timers = {
  nowMs: () => performance.now(),
  after(delayMs, callback) {
    const handle = setTimeout(callback, delayMs);
    return () => clearTimeout(handle);
  },
  every(periodMs, callback) {
    const handle = setInterval(callback, periodMs);
    return () => clearInterval(handle);
  },
};

/** Resolves after `delayMs` on `timers`. */
export function sleepMs(timers: Timers, delayMs: number): Promise<void> {
  return new Promise((resolve) => timers.after(delayMs, resolve));
}
