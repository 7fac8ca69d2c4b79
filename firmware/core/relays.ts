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
  /**
   * Bit per path in STAGE_OPEN, STAGE_CLOSED, STAGE_PULSED, kept by enter(): the control cycle
   * runs every few tens of ms, and on the board each statement costs about as much as its
   * tokens (docs/simulator.md, "CPU time"), so a cycle with every path at rest is a few mask
   * operations rather than a walk over every path and relay.
   */
  open = 0;
  closed = 0;
  pulsed = 0;
  /** Latest entry of changedMs: once settleMs past it, every relay has settled. */
  lastChangeMs: number;
  /** nextWakeMs(), kept until enter() changes a stage (-1: to be computed). */
  wakeMs = -1;
  /** Relays commanded since the board last drove the coils (written()). */
  unwritten = 0;

  constructor(pathCount: number, actuators: number, settleMs: number, pulseMs: number, nowMs: number) {
    assert(pathCount > 0 && pathCount <= PATHS_MAX, "path count within PATHS_MAX");
    this.pathCount = pathCount;
    this.actuators = actuators;
    this.settleMs = settleMs;
    this.pulseMs = pulseMs;
    this.lastChangeMs = nowMs;
    for (let p = 0; p < pathCount; p++) {
      this.stages.push(STAGE_OPEN);
      this.stageMs.push(nowMs);
      this.changedMs.push(nowMs, nowMs);
    }
    this.open = (1 << pathCount) - 1;
  }

  /** Sets path p's stage and its two coil commands. */
  enter(p: number, stage: number, nowMs: number): void {
    const bits = ((STAGE_COILS >> (2 * stage)) & 3) << (2 * p);
    const changed = (this.coils ^ bits) & (3 << (2 * p));
    for (let r = 2 * p; r <= 2 * p + 1; r++) if ((changed >> r) & 1) this.changedMs[r] = nowMs;
    if (changed !== 0) this.lastChangeMs = nowMs;
    this.unwritten |= changed;
    this.coils ^= changed;
    this.stages[p] = stage;
    this.stageMs[p] = nowMs;
    const bit = 1 << p;
    this.open = stage === STAGE_OPEN ? this.open | bit : this.open & ~bit;
    this.closed = stage === STAGE_CLOSED ? this.closed | bit : this.closed & ~bit;
    this.pulsed = stage === STAGE_PULSED ? this.pulsed | bit : this.pulsed & ~bit;
    this.wakeMs = -1;
  }

  /**
   * The board drove the coils at `nowMs`: a relay settles from when its coil changed, not from
   * when the command was decided. On the board a callback takes milliseconds between reading
   * the clock and driving the coils, so a check counted from the decision would find a sound
   * relay still moving and report it. Called only when a relay changed (`unwritten`), so a
   * cycle that changes none costs no clock read.
   */
  written(nowMs: number): void {
    assert(this.unwritten !== 0, "written() only after a relay changed");
    for (let r = 0; r < 2 * this.pathCount; r++) {
      if ((this.unwritten >> r) & 1) {
        this.changedMs[r] = nowMs;
        // An actuator's pulse, too, lasts from when its coils were energised.
        this.stageMs[r >> 1] = nowMs;
      }
    }
    this.lastChangeMs = nowMs;
    this.unwritten = 0;
    this.wakeMs = -1;
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
    const relays = (1 << (2 * this.pathCount)) - 1;
    let settled = relays;
    if (nowMs - this.lastChangeMs < this.settleMs) {
      settled = 0;
      for (let r = 0; r < 2 * this.pathCount; r++) if (nowMs - this.changedMs[r] >= this.settleMs) settled |= 1 << r;
    }
    // A released relay's feedback reads 1: agreeing means energised !== released.
    const found = ~(this.coils ^ feedback) & settled & relays;
    this.mismatch = found;
    // At rest: a wanted path closed (an actuator's pulse not yet due), an unwanted one open,
    // a pulsed actuator whatever is wanted. Nothing found and every path at rest: no step.
    const moving = (~this.pulsed & ((wanted & ~this.closed) | (~wanted & ~this.open))) | (this.closed & this.actuators);
    if (found === 0 && (moving & ((1 << this.pathCount) - 1)) === 0) return 0;
    for (let p = 0; p < this.pathCount; p++) {
      const bad = found & (3 << (2 * p));
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
    return found;
  }

  /** Earliest time a stage can move on, or Infinity when every path is at rest. */
  nextWakeMs(): number {
    if (this.wakeMs >= 0) return this.wakeMs;
    let wake = Infinity;
    for (let p = 0; p < this.pathCount; p++) {
      const stage = this.stages[p];
      // A stepping path wakes when both its relays have settled (as update() steps it).
      let at = Math.max(this.changedMs[2 * p], this.changedMs[2 * p + 1]) + this.settleMs;
      if (stage === STAGE_OPEN || stage === STAGE_PULSED) at = Infinity;
      if (stage === STAGE_CLOSED) at = (this.actuators >> p) & 1 ? this.stageMs[p] + this.pulseMs : Infinity;
      wake = Math.min(wake, at);
    }
    this.wakeMs = wake;
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
