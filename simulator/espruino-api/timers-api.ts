/**
 * setTimeout, setInterval, clearTimeout, clearInterval, changeInterval on the board's Clock,
 * in milliseconds, never shorter than Espruino's 0.1 ms (so even a zero-delay loop lets board
 * time move). An interval keeps its phase: the next run is due one period after the last was
 * due. An uncaught exception does not stop an interval; running out of memory does.
 * Clearing an unknown id throws "Unknown Timeout"/"Unknown Interval"; clearing with no
 * argument clears all. Passing an explicit `undefined` also throws: whether 2v29 clears all
 * timers there is not settled here, and a firmware doing it has a bug either way.
 */
import type { Kernel } from "../interpreter/kernel.ts";

/** Espruino's TIMER_MIN_INTERVAL. */
export const TIMER_INTERVAL_MIN_MS = 0.1;
/** More live timers than this is a leak on a board with a few thousand variables. */
export const TIMERS_MAX = 1024;

interface JsTimer {
  fn: unknown;
  args: unknown[];
  periodMs: number | undefined;
  dueMs: number;
  clockId: number;
  /** Already put back once because the CPU was busy when it fell due. */
  late?: boolean;
}

export interface Timers {
  /** Callbacks and arguments of live timers, for the memory estimate. */
  /** Each live timer: its callback and arguments, and whether it repeats (setInterval). */
  values(): { values: unknown[]; repeat: boolean }[];
  dispose(): void;
}

/** The live timers of one interpreter, each scheduled on the board's Clock. */
class TimerTable implements Timers {
  private timers = new Map<number, JsTimer>();
  private lastId = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly outOfMemory: () => boolean,
  ) {}

  add(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
    const { kernel } = this;
    if (typeof fn !== "function" && typeof fn !== "string") throw kernel.error("Function or String not supplied!");
    if (this.timers.size >= TIMERS_MAX) throw kernel.error(`more than ${TIMERS_MAX} timers`);
    const delayMs = Math.max(TIMER_INTERVAL_MIN_MS, Number(ms) || 0);
    const id = ++this.lastId;
    const dueMs = kernel.clock.nowMs() + delayMs;
    this.timers.set(id, { fn, args, periodMs: repeat ? delayMs : undefined, dueMs, clockId: kernel.clock.setTimer(dueMs, () => this.fire(id)) });
    return id;
  }

  /** clearTimeout/clearInterval: no argument clears all; an unknown (or undefined) id throws. */
  clear(kind: "Timeout" | "Interval", ids: unknown[]): void {
    if (ids.length === 0) return this.dispose();
    const timer = this.timers.get(Number(ids[0]));
    if (ids[0] === undefined || timer === undefined) throw this.kernel.error(`Unknown ${kind}`);
    this.kernel.clock.clearTimer(timer.clockId);
    this.timers.delete(Number(ids[0]));
  }

  change(id: unknown, ms: unknown): void {
    const { clock } = this.kernel;
    const timer = this.timers.get(Number(id));
    if (timer === undefined || timer.periodMs === undefined) throw this.kernel.error("Unknown Interval");
    clock.clearTimer(timer.clockId);
    timer.periodMs = Math.max(TIMER_INTERVAL_MIN_MS, Number(ms) || 0);
    timer.dueMs = clock.nowMs() + timer.periodMs;
    timer.clockId = clock.setTimer(timer.dueMs, () => this.fire(Number(id)));
  }

  values(): { values: unknown[]; repeat: boolean }[] {
    return [...this.timers.values()].map((timer) => ({ values: [timer.fn, ...timer.args], repeat: timer.periodMs !== undefined }));
  }

  dispose(): void {
    for (const timer of this.timers.values()) this.kernel.clock.clearTimer(timer.clockId);
    this.timers.clear();
  }

  private fire(id: number): void {
    const { kernel } = this;
    const timer = this.timers.get(id);
    if (timer === undefined || !kernel.alive || kernel.hung) return;
    if (!timer.late) {
      const putBack = kernel.putBackIfLate(timer.dueMs, () => this.fire(id));
      if (putBack !== undefined) {
        timer.late = true;
        timer.clockId = putBack;
        return;
      }
    }
    timer.late = false;
    if (timer.periodMs === undefined) this.timers.delete(id);
    else if (this.outOfMemory()) {
      this.timers.delete(id);
      return kernel.raiseFlag("MEMORY");
    }
    kernel.call(timer.fn, undefined, timer.args);
    if (timer.periodMs === undefined || this.timers.get(id) !== timer) return;
    timer.dueMs += timer.periodMs;
    timer.clockId = kernel.clock.setTimer(timer.dueMs, () => this.fire(id));
  }
}

export function installTimers(kernel: Kernel, outOfMemory: () => boolean): Timers {
  const table = new TimerTable(kernel, outOfMemory);
  const entry =
    <T>(fn: (...args: unknown[]) => T) =>
    (...args: unknown[]): T => {
      kernel.checkAlive();
      return fn(...args);
    };
  const global = kernel.realm.global;
  global.setTimeout = entry((fn, ms, ...args) => table.add(fn, ms, args, false));
  global.setInterval = entry((fn, ms, ...args) => table.add(fn, ms, args, true));
  global.clearTimeout = entry((...ids) => table.clear("Timeout", ids));
  global.clearInterval = entry((...ids) => table.clear("Interval", ids));
  global.changeInterval = entry((id, ms) => table.change(id, ms));
  return table;
}
