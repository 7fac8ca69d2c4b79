/**
 * Relay supervision. Every path is two relays in series (relay 2p and 2p+1); each has a
 * force-guided mirror contact read back as a feedback bit (1 = released). Before a path
 * closes, each relay is energised on its own while the other keeps the path open, and its
 * feedback must follow; after the settle time every relay's feedback must agree with its
 * command on every check, or the path is forced open and the mismatch reported.
 */
import { assert } from "./assert.ts";

/** Path stages. A path conducts only in STAGE_CLOSED. */
export const STAGE_OPEN = 0;
export const STAGE_TEST_FIRST = 1;
export const STAGE_REST_FIRST = 2;
export const STAGE_TEST_SECOND = 3;
export const STAGE_REST_SECOND = 4;
export const STAGE_CLOSING = 5;
export const STAGE_CLOSED = 6;
/** An actuator that has delivered its pulse; it stays open until the next boot. */
export const STAGE_PULSED = 7;

/** Coil commands (bit per relay) for the stages in order: [first relay, second relay]. */
const STAGE_COILS = [0, 1, 0, 2, 0, 3, 3, 0];

export const PATHS_MAX = 8;

export class RelaySupervisor {
  pathCount: number;
  /** Stage of each path. */
  stages: number[] = [];
  /** When each path entered its stage. */
  stageMs: number[] = [];
  /** When each relay's coil command last changed. */
  changedMs: number[] = [];
  /** Commanded coils, bit per relay: the one mask the board drives. */
  coils = 0;
  /** Relays whose feedback disagreed with their command at the last check. */
  mismatch = 0;

  constructor(pathCount: number, nowMs: number) {
    assert(pathCount > 0 && pathCount <= PATHS_MAX, "path count within PATHS_MAX");
    this.pathCount = pathCount;
    for (let p = 0; p < pathCount; p++) {
      this.stages.push(STAGE_OPEN);
      this.stageMs.push(nowMs);
      this.changedMs.push(nowMs, nowMs);
    }
  }

  /** Sets path p's stage and its two coil commands. */
  enter(p: number, stage: number, nowMs: number): void {
    const bits = STAGE_COILS[stage] << (2 * p);
    const mask = 3 << (2 * p);
    const changed = (this.coils ^ bits) & mask;
    if (changed & (1 << (2 * p))) this.changedMs[2 * p] = nowMs;
    if (changed & (2 << (2 * p))) this.changedMs[2 * p + 1] = nowMs;
    this.coils = (this.coils & ~mask) | bits;
    this.stages[p] = stage;
    this.stageMs[p] = nowMs;
  }

  /** Opens every path at once (the safe state), keeping pulsed actuators pulsed. */
  openAll(nowMs: number): void {
    for (let p = 0; p < this.pathCount; p++) this.enter(p, this.stages[p] === STAGE_PULSED ? STAGE_PULSED : STAGE_OPEN, nowMs);
  }

  /** Relays of path p whose feedback disagrees with the command after `settleMs`. */
  checkFeedback(p: number, feedback: number, nowMs: number, settleMs: number): number {
    let bad = 0;
    for (let r = 2 * p; r <= 2 * p + 1; r++) {
      if (nowMs - this.changedMs[r] < settleMs) continue;
      const energised = (this.coils >> r) & 1;
      const released = (feedback >> r) & 1;
      if (energised === released) bad |= 1 << r;
    }
    return bad;
  }

  /**
   * One supervision step. `wanted` has bit p set when path p should conduct (or pulse).
   * Returns the relays found disagreeing; their paths are already forced open.
   */
  update(wanted: number, feedback: number, nowMs: number, settleMs: number, pulseMs: number, actuators: number): number {
    let found = 0;
    for (let p = 0; p < this.pathCount; p++) {
      const bad = this.checkFeedback(p, feedback, nowMs, settleMs);
      if (bad !== 0) {
        found |= bad;
        this.enter(p, this.stages[p] === STAGE_PULSED ? STAGE_PULSED : STAGE_OPEN, nowMs);
        continue;
      }
      this.advance(p, ((wanted >> p) & 1) === 1, ((actuators >> p) & 1) === 1, nowMs, settleMs, pulseMs);
    }
    this.mismatch = found;
    return found;
  }

  /** Moves path p one stage on when its relays have settled. */
  advance(p: number, want: boolean, actuator: boolean, nowMs: number, settleMs: number, pulseMs: number): void {
    const stage = this.stages[p];
    if (stage === STAGE_PULSED) return;
    if (!want) {
      if (stage !== STAGE_OPEN) this.enter(p, STAGE_OPEN, nowMs);
      return;
    }
    const settled = nowMs - this.changedMs[2 * p] >= settleMs && nowMs - this.changedMs[2 * p + 1] >= settleMs;
    if (stage === STAGE_CLOSED) {
      if (actuator && nowMs - this.stageMs[p] >= pulseMs) this.enter(p, STAGE_PULSED, nowMs);
      return;
    }
    if (settled) this.enter(p, stage + 1, nowMs);
  }

  /** Earliest time a stage can move on, or Infinity when every path is at rest. */
  nextWakeMs(settleMs: number, pulseMs: number, actuators: number): number {
    let wake = Infinity;
    for (let p = 0; p < this.pathCount; p++) {
      const stage = this.stages[p];
      if (stage === STAGE_OPEN || stage === STAGE_PULSED) continue;
      let at = Math.max(this.changedMs[2 * p], this.changedMs[2 * p + 1]) + settleMs;
      if (stage === STAGE_CLOSED) at = ((actuators >> p) & 1) === 1 ? this.stageMs[p] + pulseMs : Infinity;
      if (at < wake) wake = at;
    }
    return wake;
  }

  /** One character per path: C closed, O open, T testing, F feedback disagrees. */
  describe(): string {
    let text = "";
    for (let p = 0; p < this.pathCount; p++) {
      const stage = this.stages[p];
      if ((this.mismatch >> (2 * p)) & 3) text += "F";
      else if (stage === STAGE_CLOSED) text += "C";
      else if (stage === STAGE_OPEN || stage === STAGE_PULSED) text += "O";
      else text += "T";
    }
    return text;
  }
}
