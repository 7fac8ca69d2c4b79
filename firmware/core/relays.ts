/**
 * Relay supervision. Every path is two relays in series (relay 2p and 2p+1); each has a
 * force-guided mirror contact read back as a feedback bit (1 = released). Before a path
 * closes, each relay is energised on its own while the other keeps the path open, and its
 * feedback must follow; after the settle time every relay's feedback must agree with its
 * command on every check, or the path is forced open and the mismatch reported.
 */
import { assert } from "./assert.ts";

/** Path stages, in the order a path closes. A path conducts only in STAGE_CLOSED. */
export const STAGE_OPEN = 0;
export const STAGE_CLOSED = 6;
/** An actuator that has delivered its pulse; it stays open until the next boot. */
export const STAGE_PULSED = 7;

/**
 * Coil commands (bit per relay: first, second) of each stage, two bits per stage from stage 0:
 * open 0, test first 1, rest 0, test second 2, rest 0, close both 3, closed 3, pulsed 0. One
 * number the build folds into its use, where an array would hold variable blocks for good.
 */
const STAGE_COILS = (1 << 2) | (2 << 6) | (3 << 10) | (3 << 12);

export const PATHS_MAX = 8;

export class RelaySupervisor {
  pathCount: number;
  /** Bit per actuator path, which pulses for pulseMs once closed instead of staying closed. */
  actuators: number;
  settleMs: number;
  pulseMs: number;
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

  constructor(pathCount: number, actuators: number, settleMs: number, pulseMs: number, nowMs: number) {
    assert(pathCount > 0 && pathCount <= PATHS_MAX, "path count within PATHS_MAX");
    this.pathCount = pathCount;
    this.actuators = actuators;
    this.settleMs = settleMs;
    this.pulseMs = pulseMs;
    for (let p = 0; p < pathCount; p++) {
      this.stages.push(STAGE_OPEN);
      this.stageMs.push(nowMs);
      this.changedMs.push(nowMs, nowMs);
    }
  }

  /** Sets path p's stage and its two coil commands. */
  enter(p: number, stage: number, nowMs: number): void {
    const bits = ((STAGE_COILS >> (2 * stage)) & 3) << (2 * p);
    const changed = (this.coils ^ bits) & (3 << (2 * p));
    for (let r = 2 * p; r <= 2 * p + 1; r++) if ((changed >> r) & 1) this.changedMs[r] = nowMs;
    this.coils ^= changed;
    this.stages[p] = stage;
    this.stageMs[p] = nowMs;
  }

  /** Opens every path at once (the safe state), keeping a pulsed actuator pulsed. */
  openAll(nowMs: number): void {
    for (let p = 0; p < this.pathCount; p++) if (this.stages[p] !== STAGE_PULSED) this.enter(p, STAGE_OPEN, nowMs);
  }

  /**
   * One supervision step. `wanted` has bit p set when path p should conduct (or pulse).
   * Returns the relays found disagreeing; their paths are already forced open.
   */
  update(wanted: number, feedback: number, nowMs: number): number {
    let found = 0;
    for (let p = 0; p < this.pathCount; p++) {
      let bad = 0;
      for (let r = 2 * p; r <= 2 * p + 1; r++) {
        // A released relay's feedback reads 1: agreeing means energised !== released.
        if (nowMs - this.changedMs[r] >= this.settleMs && ((this.coils >> r) & 1) === ((feedback >> r) & 1)) bad |= 1 << r;
      }
      found |= bad;
      const stage = this.stages[p];
      if (bad !== 0 || ((wanted >> p) & 1) === 0) {
        if (stage !== STAGE_OPEN && stage !== STAGE_PULSED) this.enter(p, STAGE_OPEN, nowMs);
      } else if (stage === STAGE_CLOSED) {
        if ((this.actuators >> p) & 1 && nowMs - this.stageMs[p] >= this.pulseMs) this.enter(p, STAGE_PULSED, nowMs);
      } else if (stage !== STAGE_PULSED && nowMs >= Math.max(this.changedMs[2 * p], this.changedMs[2 * p + 1]) + this.settleMs) {
        // Both relays of the path settled since their last change: the next stage.
        this.enter(p, stage + 1, nowMs);
      }
    }
    this.mismatch = found;
    return found;
  }

  /** Earliest time a stage can move on, or Infinity when every path is at rest. */
  nextWakeMs(): number {
    let wake = Infinity;
    for (let p = 0; p < this.pathCount; p++) {
      const stage = this.stages[p];
      // A stepping path wakes when both its relays have settled (as update() steps it).
      let at = Math.max(this.changedMs[2 * p], this.changedMs[2 * p + 1]) + this.settleMs;
      if (stage === STAGE_OPEN || stage === STAGE_PULSED) at = Infinity;
      if (stage === STAGE_CLOSED) at = (this.actuators >> p) & 1 ? this.stageMs[p] + this.pulseMs : Infinity;
      wake = Math.min(wake, at);
    }
    return wake;
  }

  /** One character per path: C closed, O open, T testing, F feedback disagrees. */
  describe(): string {
    let text = "";
    for (let p = 0; p < this.pathCount; p++) {
      const stage = this.stages[p];
      text += (this.mismatch >> (2 * p)) & 3 ? "F" : stage === STAGE_CLOSED ? "C" : stage === STAGE_OPEN || stage === STAGE_PULSED ? "O" : "T";
    }
    return text;
  }
}
