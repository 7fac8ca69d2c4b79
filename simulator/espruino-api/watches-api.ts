/**
 * setWatch / clearWatch, following Espruino's idle-loop logic (src/jsinteractive.c):
 * - every edge of the pin is seen; the callback runs for edges matching `edge` and gets
 *   {state, time, lastTime, pin[, data]}, times in seconds of getTime(); `lastTime` is the
 *   time of the previous edge of either direction (undefined at first);
 * - with `debounce` ms, an edge starts (or restarts) a timer; when it expires with the level
 *   changed from the last reported state, the callback runs with `time` = the last edge;
 * - without `repeat` the watch is removed after its first callback;
 * - a pin not locked by pinMode becomes an input;
 * - STM32 cannot watch two pins with the same number (A0 and B0): refused with an error.
 * Callbacks run from the idle loop, at the edge's board time but after the code that made it.
 * `irq: true` is accepted and treated as a normal watch (native IRQ code is not emulated).
 */
import { MCU_RULES } from "../../hardware/mcu-rules.ts";
import type { Gpio } from "./gpio-api.ts";
import type { Kernel } from "../interpreter/kernel.ts";
import type { Level } from "../mcu/pins.ts";

/** Watches a board can hold; Espruino's EXTI lines are 16 on STM32. */
export const WATCHES_MAX = 64;

interface Watch {
  pin: string;
  fn: unknown;
  edge: -1 | 0 | 1;
  repeat: boolean;
  debounceMs: number;
  dataPin: string | undefined;
  /** Last reported (debounced) level. */
  state: Level;
  lastTimeS: number | undefined;
  debounce: { timerId: number; state: Level } | undefined;
}

export interface Watches {
  /** Callbacks of live watches, for the memory estimate. */
  /** Each watch's callback, and whether it debounces (which the interpreter stores as well). */
  values(): { fn: unknown; debounced: boolean }[];
  dispose(): void;
}

function parseEdge(edge: unknown): -1 | 0 | 1 | undefined {
  if (edge === undefined || edge === "both" || edge === 0) return 0;
  if (edge === "rising" || edge === 1) return 1;
  if (edge === "falling" || edge === -1) return -1;
  return undefined;
}

/** The live watches of one interpreter. */
class WatchTable implements Watches {
  private watches = new Map<number, Watch>();
  private lastId = 0;
  private unsubscribe: () => void;

  constructor(
    private readonly kernel: Kernel,
    private readonly gpio: Gpio,
  ) {
    this.unsubscribe = kernel.mcu.pins.onLevelChange((pin, level) => {
      if (!kernel.alive || kernel.hung) return;
      for (const [id, watch] of this.watches) if (watch.pin === pin) this.edgeSeen(id, watch, level);
    });
  }

  set(fn: unknown, pin: unknown, options: unknown): number {
    const { kernel, gpio } = this;
    const pins = kernel.mcu.pins;
    if (typeof fn !== "function" && typeof fn !== "string") throw kernel.error("Function or String not supplied!");
    const name = gpio.resolve(pin);
    const settings = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>;
    this.checkConflicts(name);
    const edge = parseEdge(settings.edge);
    if (edge === undefined) throw kernel.error('edge must be "rising", "falling" or "both"');
    if (!pins.isManual(name)) pins.setMode(name, "input", false);
    const dataPin = settings.data === undefined ? undefined : gpio.resolve(settings.data);
    const debounceMs = Number(settings.debounce) || 0;
    this.watches.set(++this.lastId, { pin: name, fn, edge, repeat: Boolean(settings.repeat), debounceMs, dataPin, state: pins.level(name), lastTimeS: undefined, debounce: undefined });
    return this.lastId;
  }

  clear(ids: unknown[]): void {
    if (ids.length === 0) return [...this.watches.keys()].forEach((id) => this.remove(id));
    if (!this.watches.has(Number(ids[0]))) throw this.kernel.error("Invalid watch ID");
    this.remove(Number(ids[0]));
  }

  values(): { fn: unknown; debounced: boolean }[] {
    return [...this.watches.values()].map((watch) => ({ fn: watch.fn, debounced: watch.debounceMs > 0 }));
  }

  dispose(): void {
    this.clear([]);
    this.unsubscribe();
  }

  private checkConflicts(pin: string): void {
    if (this.watches.size >= WATCHES_MAX) throw this.kernel.error(`more than ${WATCHES_MAX} watches`);
    const rules = MCU_RULES[this.kernel.profile.mcuFamily];
    for (const other of this.watches.values()) {
      const conflict = other.pin === pin ? undefined : rules.watchConflict(pin, other.pin);
      if (conflict !== undefined) throw this.kernel.error(`Unable to set watch: ${conflict}`);
    }
  }

  private edgeSeen(id: number, watch: Watch, level: Level): void {
    const { clock } = this.kernel;
    const nowMs = clock.nowMs();
    if (watch.debounceMs <= 0) return this.report(id, watch, level, nowMs);
    if (watch.debounce !== undefined) clock.clearTimer(watch.debounce.timerId);
    else if (level === watch.state) return;
    const timerId = clock.setTimer(nowMs + watch.debounceMs, () => this.settled(id, watch, nowMs));
    watch.debounce = { timerId, state: level };
  }

  private settled(id: number, watch: Watch, edgeMs: number): void {
    const state = watch.debounce!.state;
    watch.debounce = undefined;
    if (!this.kernel.alive || this.kernel.hung || state === watch.state) return;
    watch.state = state;
    this.report(id, watch, state, edgeMs);
  }

  private report(id: number, watch: Watch, state: Level, edgeMs: number): void {
    const { kernel } = this;
    const timeS = kernel.msToSeconds(edgeMs);
    if (watch.edge === 0 || (watch.edge === 1) === (state === 1)) {
      const event = new kernel.realm.Object() as Record<string, unknown>;
      Object.assign(event, { state: state === 1, lastTime: watch.lastTimeS, time: timeS, pin: this.gpio.pinObject(watch.pin) });
      if (watch.dataPin !== undefined) event.data = kernel.mcu.pins.level(watch.dataPin) === 1;
      if (!watch.repeat) this.remove(id);
      kernel.enqueue(() => kernel.call(watch.fn, undefined, [event]));
    }
    watch.lastTimeS = timeS;
  }

  private remove(id: number): void {
    const watch = this.watches.get(id);
    if (watch?.debounce !== undefined) this.kernel.clock.clearTimer(watch.debounce.timerId);
    this.watches.delete(id);
  }
}

export function installWatches(kernel: Kernel, gpio: Gpio): Watches {
  const table = new WatchTable(kernel, gpio);
  kernel.realm.global.setWatch = (fn: unknown, pin: unknown, options: unknown) => {
    kernel.checkAlive();
    return table.set(fn, pin, options);
  };
  kernel.realm.global.clearWatch = (...ids: unknown[]) => {
    kernel.checkAlive();
    table.clear(ids);
  };
  return table;
}
