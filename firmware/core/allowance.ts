/**
 * A budget that refills at the start of each window: the one rate limiter of the firmware,
 * for rejected frames (flood trigger), error replies and reply bytes, per link.
 */
export class Allowance {
  startMs = -Infinity;
  used = 0;

  /** Spends `amount` if the window's total stays within `max`; false (and nothing spent) otherwise. */
  take(nowMs: number, windowMs: number, amount: number, max: number): boolean {
    if (nowMs - this.startMs >= windowMs) {
      this.startMs = nowMs;
      this.used = 0;
    }
    if (this.used + amount > max) return false;
    this.used += amount;
    return true;
  }
}
