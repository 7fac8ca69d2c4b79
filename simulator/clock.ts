/**
 * Board time. Everything in the simulated board (JavaScript timers, relay mechanics, serial
 * pacing, the watchdog) schedules work on one Clock, so the same code runs on wall-clock time
 * (`RealClock`, for `guillotine sim`) or on virtual time (`VirtualClock`, for tests that cover
 * hours of board time in seconds), in the manner of TigerBeetle's Time / TimeSim.
 */
import { strict as assert } from "node:assert";
import type { Cancel, Timers } from "../kit/timers.ts";

/** The one time interface: the host tools' Timers, and what the board needs on top of it. */
export interface Clock extends Timers {
  /** Milliseconds since the clock was created; fractional; never goes backwards. */
  nowMs(): number;
  /**
   * Runs `fn` once at `atMs` (a time in the past means "as soon as possible"). Timers due at
   * the same time run in the order they were set. Returns an id for clearTimer, never 0.
   * A `hardware` timer (relay mechanics, serial bytes on a line, the watchdog, power) runs at
   * its time even while charged CPU time passes: the world does not wait for the interpreter.
   * Its `fn` must not run interpreter code (it may queue work for the interpreter).
   */
  setTimer(atMs: number, fn: () => void, hardware?: boolean): number;
  /** Cancels a pending timer. Unknown or already-run ids are ignored. */
  clearTimer(id: number): void;
  /**
   * The code running now kept the CPU busy for `ms` (the CPU-time model): time moves on by
   * that much. Hardware timers that fall due meanwhile run at their time; the others (the
   * interpreter's timers and idle loop) run afterwards, late, in their order.
   */
  charge(ms: number): void;
}

/** A Clock's `after` and `every` (the host tools' Timers), on the clock's own timers: every clock here extends it. */
export abstract class TimersOnClock implements Clock {
  abstract nowMs(): number;
  abstract setTimer(atMs: number, fn: () => void, hardware?: boolean): number;
  abstract clearTimer(id: number): void;
  abstract charge(ms: number): void;

  after(delayMs: number, callback: () => void): Cancel {
    const id = this.setTimer(this.nowMs() + delayMs, callback);
    return () => this.clearTimer(id);
  }

  /** Due every `periodMs` from now; a late run is not caught up twice. */
  every(periodMs: number, callback: () => void): Cancel {
    assert(periodMs > 0, `a period must be positive, got ${periodMs} ms`);
    let cancelled = false;
    let dueMs = this.nowMs() + periodMs;
    const run = (): void => {
      if (cancelled) return;
      dueMs += periodMs;
      id = this.setTimer(dueMs, run);
      callback();
    };
    let id = this.setTimer(dueMs, run);
    return () => {
      cancelled = true;
      this.clearTimer(id);
    };
  }
}

/** A runaway chain of zero-delay timers would otherwise spin forever at one virtual instant. */
export const TIMERS_AT_ONE_INSTANT_MAX = 1_000_000;

interface TimerEntry {
  id: number;
  atMs: number;
  fn: () => void;
}

/** Binary min-heap of timers ordered by (atMs, id); ids grow, so ties keep insertion order. */
export class TimerQueue {
  private heap: TimerEntry[] = [];
  private pending = new Map<number, TimerEntry>();

  /** `ids` may be shared with another queue, so ids order timers across both. */
  constructor(private readonly ids = { last: 0 }) {}

  add(atMs: number, fn: () => void): number {
    assert(Number.isFinite(atMs), `timer time must be finite, got ${atMs}`);
    const entry = { id: ++this.ids.last, atMs, fn };
    this.pending.set(entry.id, entry);
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    return entry.id;
  }

  remove(id: number): void {
    this.pending.delete(id);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Time of the earliest pending timer, or undefined. */
  peekMs(): number | undefined {
    return this.peek()?.atMs;
  }

  /** The earliest pending timer, left in the queue. */
  peek(): TimerEntry | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Removes and returns the earliest pending timer. */
  pop(): TimerEntry | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.pending.delete(top.id);
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && !this.pending.has(this.heap[0].id)) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private before(a: TimerEntry, b: TimerEntry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.id < b.id);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index], heap[parent])) return;
      [heap[index], heap[parent]] = [heap[parent], heap[index]];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && this.before(heap[right], heap[smallest])) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest], heap[index]];
      index = smallest;
    }
  }
}

/**
 * Virtual time: moves only through advance() / runUntil(). Deterministic: the same calls in the
 * same order produce the same sequence of timer runs, whatever the host machine does.
 */
export class VirtualClock extends TimersOnClock {
  private currentMs = 0;
  private readonly ids = { last: 0 };
  private queue = new TimerQueue(this.ids);
  private hardware = new TimerQueue(this.ids);
  private charging = false;

  nowMs(): number {
    return this.currentMs;
  }

  setTimer(atMs: number, fn: () => void, hardware = false): number {
    return (hardware ? this.hardware : this.queue).add(Math.max(atMs, this.currentMs), fn);
  }

  clearTimer(id: number): void {
    this.queue.remove(id);
    this.hardware.remove(id);
  }

  charge(ms: number): void {
    assert(ms >= 0, `cannot charge a negative time (${ms} ms)`);
    const endMs = this.currentMs + ms;
    if (!this.charging) {
      this.charging = true;
      try {
        for (let timer = this.hardware.peek(); timer !== undefined && timer.atMs <= endMs; timer = this.hardware.peek()) {
          this.hardware.pop();
          this.currentMs = Math.max(this.currentMs, timer.atMs);
          timer.fn();
        }
      } finally {
        this.charging = false;
      }
    }
    this.currentMs = Math.max(this.currentMs, endMs);
  }

  /** Number of timers still pending. */
  get pendingTimers(): number {
    return this.queue.size + this.hardware.size;
  }

  /** The earliest pending timer of either kind (the lower id first at one time: the order they were set). */
  private next(): TimerQueue | undefined {
    const soft = this.queue.peek();
    const hard = this.hardware.peek();
    if (soft === undefined) return hard === undefined ? undefined : this.hardware;
    if (hard === undefined) return this.queue;
    return hard.atMs < soft.atMs || (hard.atMs === soft.atMs && hard.id < soft.id) ? this.hardware : this.queue;
  }

  /** Runs every timer due within the next `ms`, in time order, then stands at now + ms. */
  advance(ms: number): void {
    assert(ms >= 0, `cannot advance by a negative time (${ms} ms)`);
    const endMs = this.currentMs + ms;
    this.runTimersUntil(endMs, () => false);
    this.currentMs = Math.max(this.currentMs, endMs);
  }

  /**
   * Runs timers in order until `predicate()` holds (checked first and after each timer) or
   * `maxMs` of virtual time have passed. Returns whether the predicate held; on success the
   * clock stands at the time of the timer that made it true.
   */
  runUntil(predicate: () => boolean, maxMs: number): boolean {
    assert(maxMs >= 0, `maxMs must not be negative (${maxMs})`);
    const endMs = this.currentMs + maxMs;
    if (predicate()) return true;
    if (this.runTimersUntil(endMs, predicate)) return true;
    this.currentMs = Math.max(this.currentMs, endMs);
    return false;
  }

  private runTimersUntil(endMs: number, predicate: () => boolean): boolean {
    let instantMs = this.currentMs;
    let runsAtInstant = 0;
    for (;;) {
      const queue = this.next();
      const nextMs = queue?.peekMs();
      if (queue === undefined || nextMs === undefined || nextMs > endMs) return false;
      const timer = queue.pop()!;
      // A timer that fell due while charged CPU time passed runs late, at the current time.
      this.currentMs = Math.max(this.currentMs, timer.atMs);
      runsAtInstant = timer.atMs === instantMs ? runsAtInstant + 1 : 1;
      instantMs = timer.atMs;
      assert(runsAtInstant <= TIMERS_AT_ONE_INSTANT_MAX, `more than ${TIMERS_AT_ONE_INSTANT_MAX} timers at t=${instantMs} ms: a zero-delay timer loop?`);
      timer.fn();
      if (predicate()) return true;
    }
  }
}

/** Below this many ms, RealClock polls with setImmediate instead of waiting on setTimeout. */
export const REAL_CLOCK_SPIN_BELOW_MS = 1;

/**
 * Wall-clock time from performance.now(). Keeps its own queue so due timers run in the same
 * order as on VirtualClock; one Node timer is armed for the earliest. Node's setTimeout has
 * 1 ms granularity, so the last sub-millisecond is waited out with setImmediate.
 *
 * While a timer's callback runs, time stands still at the instant it started (plus any CPU
 * time charged): as on VirtualClock, code takes no board time unless the CPU-time model says
 * so. Otherwise a host process descheduled in the middle of a callback would show the
 * firmware time passing while everything else the simulator models (a relay's contacts, the
 * bytes on a line, all timers too) stood still: a relay test that waited its settle time would
 * find contacts that had not been allowed to move.
 */
export class RealClock extends TimersOnClock {
  private readonly originMs = performance.now();
  private queue = new TimerQueue();
  private armed: { atMs: number; handle: NodeJS.Timeout | NodeJS.Immediate; immediate: boolean } | undefined;
  private lastNowMs = 0;
  /** Charged CPU time not yet caught up by the wall clock: now is never before this. */
  private busyUntilMs = 0;
  /** The instant the running timer's callback started at; undefined outside callbacks. */
  private frozenMs: number | undefined;

  nowMs(): number {
    const nowMs = Math.max(this.frozenMs ?? performance.now() - this.originMs, this.busyUntilMs, this.lastNowMs);
    this.lastNowMs = nowMs;
    return nowMs;
  }

  charge(ms: number): void {
    assert(ms >= 0, `cannot charge a negative time (${ms} ms)`);
    this.busyUntilMs = this.nowMs() + ms;
  }

  /** Hardware timers run like the others here: on wall-clock time a callback cannot be interrupted. */
  setTimer(atMs: number, fn: () => void, _hardware?: boolean): number {
    const id = this.queue.add(atMs, fn);
    this.arm();
    return id;
  }

  clearTimer(id: number): void {
    this.queue.remove(id);
  }

  /** Cancels every pending timer and the Node timer behind them. */
  dispose(): void {
    this.disarm();
    this.queue = new TimerQueue();
  }

  private arm(): void {
    const nextMs = this.queue.peekMs();
    if (nextMs === undefined) return this.disarm();
    if (this.armed !== undefined && this.armed.atMs <= nextMs) return;
    this.disarm();
    // Wall time, not the frozen instant of a running callback: the Node timer waits for real.
    const delayMs = nextMs - (performance.now() - this.originMs);
    if (delayMs < REAL_CLOCK_SPIN_BELOW_MS) {
      this.armed = { atMs: nextMs, handle: setImmediate(() => this.fire()), immediate: true };
    } else {
      this.armed = { atMs: nextMs, handle: setTimeout(() => this.fire(), Math.floor(delayMs)), immediate: false };
    }
  }

  private disarm(): void {
    if (this.armed === undefined) return;
    if (this.armed.immediate) clearImmediate(this.armed.handle as NodeJS.Immediate);
    else clearTimeout(this.armed.handle as NodeJS.Timeout);
    this.armed = undefined;
  }

  private fire(): void {
    this.armed = undefined;
    try {
      for (;;) {
        const nextMs = this.queue.peekMs();
        if (nextMs === undefined || nextMs > this.nowMs()) break;
        const timer = this.queue.pop()!;
        this.frozenMs = this.nowMs();
        try {
          timer.fn();
        } finally {
          this.frozenMs = undefined;
        }
      }
    } finally {
      this.arm();
    }
  }
}
