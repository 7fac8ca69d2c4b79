/**
 * Budgets that refill at the start of each window: the one rate limiter of the firmware, for
 * rejected frames (flood trigger), error replies and reply bytes, per link. All six live in
 * two flat arrays, slot = kind + link, rather than six objects: on the board each object with
 * its prototype link and named fields costs about 17 variable blocks.
 */
import { LINK_OPS } from "../../protocol/constants.ts";

export const ALLOWANCE_REJECTS = 0;
export const ALLOWANCE_ERROR_REPLIES = 2;
export const ALLOWANCE_REPLY_BYTES = 4;
const SLOTS = ALLOWANCE_REPLY_BYTES + LINK_OPS + 1;

export class Allowances {
  /** When each slot's window started. */
  startMs: number[] = [];
  used: number[] = [];

  constructor() {
    for (let slot = 0; slot < SLOTS; slot++) {
      this.startMs.push(-Infinity);
      this.used.push(0);
    }
  }

  /** Spends `amount` from slot `kind + link` if the window's total stays within `max`; false (and nothing spent) otherwise. */
  take(slot: number, nowMs: number, windowMs: number, amount: number, max: number): boolean {
    if (nowMs - this.startMs[slot] >= windowMs) {
      this.startMs[slot] = nowMs;
      this.used[slot] = 0;
    }
    if (this.used[slot] + amount > max) return false;
    this.used[slot] += amount;
    return true;
  }
}
