/**
 * The state one interpreter instance shares between its API modules, and the rules for
 * running JavaScript callbacks the way Espruino's idle loop does:
 * - an uncaught exception prints `Uncaught ...` and does not stop other callbacks;
 * - queued work (emit(), watch callbacks, received data) runs from the idle loop, at the
 *   same board instant but after the callback that caused it;
 * - save(), reset() and load() take effect when the interpreter returns to idle;
 * - new error flags fire E.on("errorFlag") and print `New interpreter error: ...`.
 * Once killed (power loss, hardware reset) every API call throws HaltError, so a callback
 * caught in the middle cannot touch the hardware any more.
 */
import { FirstUse } from "../memory/first-use.ts";
import vm from "node:vm";
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { Clock } from "../clock.ts";
import { ListenerRegistry, type Listener } from "./listeners.ts";
import { formatUncaught, formatValue } from "./format.ts";
import type { InterpreterHost } from "./host.ts";
import { CPU_COUNTER, CpuMeter, clockMhz, meterNatives } from "./cpu.ts";
import type { Mcu } from "../mcu/mcu.ts";
import type { Realm } from "./vm-context.ts";

/** Thrown by every API of an interpreter that no longer runs (power lost, board reset). */
export class HaltError extends Error {
  constructor() {
    super("the interpreter is no longer running");
  }
}

/** Events waiting for the idle loop; beyond this they are dropped (an emit() loop, a flood of edges). */
export const IDLE_QUEUE_MAX = 1024;
/** save() from an init handler makes a save loop on the board; here it stops after this many rounds. */
export const TODO_ROUNDS_MAX = 4;
/** Name of the hidden global used to run callbacks under a wall-clock timeout. */
const DISPATCH_SLOT = "\u00ffsimDispatch";

export type Todo = "save" | "reset" | "load";

export interface KernelState {
  errorFlags: Set<string>;
  newErrorFlags: Set<string>;
  password: string | undefined;
  locked: boolean;
  echo: boolean;
  todo: Set<Todo>;
  /** Replaying saved code at boot: console output is suppressed, save() does nothing. */
  restoring: boolean;
  /** Code run since the last reset (saved code included), stored by save(). */
  journal: string[];
  /** E.setFlags() settings. */
  flags: Record<string, number>;
}

export class Kernel {
  readonly listeners = new ListenerRegistry();
  /** Built-ins the program has reached, whose objects Espruino keeps (simulator/memory/first-use.ts). */
  readonly firstUse = new FirstUse();
  readonly state: KernelState = {
    errorFlags: new Set(),
    newErrorFlags: new Set(),
    password: undefined,
    locked: false,
    echo: true,
    todo: new Set(),
    restoring: false,
    journal: [],
    flags: {},
  };
  alive = true;
  hung = false;
  /** REPL statements being evaluated (the REPL manages the console around its own statements). */
  evaluating = 0;
  /** Printed to the console from a callback since the REPL's prompt was last put back. */
  private printedOverPrompt = false;
  /** afterWork() is running: callbacks it runs (init handlers after save) do not start it again. */
  private inAfterWork = false;
  /** Runs save/reset/load; set by the interpreter. */
  todoHandler: (todo: Todo) => void = () => {};
  private queue: (() => void)[] = [];
  private idleTimerId: number | undefined;
  /** When the pending idle loop is due. */
  private idleAtMs = 0;
  private dispatchScript = new vm.Script(`this[${JSON.stringify(DISPATCH_SLOT)}]()`);
  /** Counts the work of running code and charges it to the clock (undefined without the CPU-time model). */
  readonly cpu: CpuMeter | undefined;
  /** When the CPU last finished charged work. */
  private busyUntilMs = 0;

  constructor(
    readonly realm: Realm,
    readonly host: InterpreterHost,
  ) {
    Object.defineProperty(realm.global, DISPATCH_SLOT, { value: undefined, writable: true, enumerable: false });
    if (!host.cpuModel) return;
    const cpu = (this.cpu = new CpuMeter(clockMhz(host.profile), (ms) => {
      host.clock.charge(ms);
      this.busyUntilMs = host.clock.nowMs();
    }));
    // A reset or power loss while a callback runs (the watchdog bites mid-callback) stops it at its next statement.
    const counter = (tokens: number) => {
      if (!this.alive) throw new HaltError();
      cpu.tokens(tokens);
    };
    Object.defineProperty(realm.global, CPU_COUNTER, { value: counter, writable: false, enumerable: false });
    meterNatives((code) => vm.runInContext(code, realm.context), cpu);
  }

  get clock(): Clock {
    return this.host.clock;
  }

  get mcu(): Mcu {
    return this.host.mcu;
  }

  get profile(): BoardProfile {
    return this.host.profile;
  }

  /** getTime(): seconds since power-on. */
  nowSeconds(): number {
    return this.msToSeconds(this.clock.nowMs());
  }

  msToSeconds(atMs: number): number {
    return (atMs - this.mcu.powerOnMs) / 1000;
  }

  /** Throws unless the interpreter still runs; every API entry point calls this first. */
  checkAlive(): void {
    if (!this.alive) throw new HaltError();
  }

  /** An Error of the interpreter's own realm, as Espruino's APIs throw. */
  error(message: string): Error {
    return new this.realm.Error(message);
  }

  /** A function that records the call and throws: for Espruino APIs the simulator lacks. */
  unimplemented(api: string): () => never {
    return () => {
      this.checkAlive();
      this.host.recordUnimplemented(api);
      throw this.error(`${api} is not implemented by the simulator`);
    };
  }

  /**
   * An object standing for an Espruino peripheral or class the simulator lacks (SPI1,
   * OneWire...): calling it or any method on it records the API and throws.
   */
  unimplementedObject(api: string): unknown {
    return new Proxy(this.unimplemented(api), {
      get: (target, property) => (typeof property === "string" && property !== "prototype" ? this.unimplemented(`${api}.${property}`) : Reflect.get(target, property)),
    });
  }

  /** Formats like Espruino's print. */
  format(value: unknown): string {
    return formatValue(value, { pinName: (candidate) => this.pinName(candidate) });
  }

  /** Set by the GPIO module: the name a pin object stands for. */
  pinName: (value: unknown) => string | undefined = () => undefined;

  /** Text to the console device, with Espruino's \n -> \r\n. Dropped without a console. */
  print(text: string): void {
    if (this.state.restoring || !this.alive) return;
    const device = this.mcu.console.device;
    if (device === undefined) return;
    if (this.evaluating === 0) {
      this.host.repl()?.removeInputLine?.();
      this.printedOverPrompt = true;
    }
    this.mcu.uart(device)?.write(text.replace(/\r?\n/g, "\r\n"));
  }

  raiseFlag(flag: string): void {
    if (!this.alive) return;
    this.state.errorFlags.add(flag);
    this.state.newErrorFlags.add(flag);
    this.host.emit({ type: "error-flag", atMs: this.clock.nowMs(), flag });
    this.scheduleIdle();
  }

  /** Runs a callback now, as the idle loop would. Returns false if it threw or could not run. */
  call(fn: unknown, thisArg: unknown, args: unknown[]): boolean {
    if (!this.alive || this.hung) return false;
    let ok = true;
    try {
      if (typeof fn === "string") this.realm.run(fn, "callback", this.host.callbackTimeoutMs);
      else if (typeof fn !== "function") throw this.error("Function or String not supplied!");
      else if (this.host.callbackTimeoutMs === undefined) (fn as Listener).apply(thisArg, args);
      else this.callWithTimeout(fn as Listener, thisArg, args);
    } catch (thrown) {
      ok = false;
      this.reportThrown(thrown);
    }
    if (this.alive && !this.hung) this.realm.drainMicrotasks();
    this.afterWork();
    if (this.printedOverPrompt && this.evaluating === 0 && this.alive) {
      this.printedOverPrompt = false;
      this.host.repl()?.returnInputLine?.();
    }
    return ok;
  }

  /** Calls every listener of `event` on `target` (E's "init", a device's "data"). */
  callListeners(target: object, event: string, args: unknown[]): void {
    for (const listener of this.listeners.get(target, event)) this.call(listener, target, args);
  }

  /** Queues work for the idle loop (same instant, after the current callback). A full queue drops it and raises FIFO_FULL, as Espruino's event queue does. */
  enqueue(work: () => void): void {
    if (!this.alive) return;
    if (this.queue.length >= IDLE_QUEUE_MAX) return this.raiseFlag("FIFO_FULL");
    this.queue.push(work);
    this.scheduleIdle();
  }

  /**
   * Runs the idle loop at `atMs`, the time of what woke it (default now), or earlier if it is
   * already due earlier. Bytes a line delivers late, after the host process was descheduled,
   * carry their own due time: the idle loop then takes each chunk before the next one arrives,
   * as the board would have, instead of after every overdue byte (a burst that would overflow
   * the receive buffer, which a real line never delivers).
   */
  scheduleIdle(atMs = this.clock.nowMs()): void {
    if (!this.alive) return;
    if (this.idleTimerId !== undefined) {
      if (this.idleAtMs <= atMs) return;
      this.clock.clearTimer(this.idleTimerId);
    }
    this.idleAtMs = atMs;
    this.idleTimerId = this.clock.setTimer(atMs, () => this.idle(atMs));
  }

  /**
   * Work due at `dueMs` that only gets to run now, later, because the CPU was busy: it goes to
   * the back of the queue at the current time once, so that what fell due meanwhile (the
   * watchdog biting, bytes arriving) happens first, as it did on the board. Returns whether
   * it was put back.
   */
  putBackIfLate(dueMs: number, run: () => void): number | undefined {
    // Late because the CPU was busy past its due time (on a RealClock the wall clock alone
    // also moves on between the two, which is no reason to put it back again).
    if (this.cpu === undefined || this.busyUntilMs <= dueMs) return undefined;
    return this.clock.setTimer(this.clock.nowMs(), run);
  }

  /** Reports what a callback or REPL statement threw, as Espruino does; HaltError after death is swallowed. */
  reportThrown(thrown: unknown): void {
    if (!this.alive || thrown instanceof HaltError) return;
    if (isTimeout(thrown)) return this.hang();
    const handlers = this.listeners.get(this.realm.global.process as object, "uncaughtException");
    if (handlers.length > 0) {
      for (const handler of handlers) this.call(handler, this.realm.global.process, [thrown]);
      return;
    }
    const text = formatUncaught(thrown, { pinName: (value) => this.pinName(value) });
    this.host.emit({ type: "uncaught", atMs: this.clock.nowMs(), text });
    this.print(text + "\n");
  }

  /** The interpreter stops running anything; only the watchdog or a reset gets the board back. */
  hang(): void {
    this.hung = true;
    if (this.idleTimerId !== undefined) this.clock.clearTimer(this.idleTimerId);
    this.idleTimerId = undefined;
  }

  kill(): void {
    this.alive = false;
    this.queue = [];
    if (this.idleTimerId !== undefined) this.clock.clearTimer(this.idleTimerId);
    this.idleTimerId = undefined;
  }

  /** After each piece of work: pending save/reset/load, then new error flags. */
  afterWork(): void {
    if (!this.alive || this.hung || this.state.restoring || this.inAfterWork) return;
    this.inAfterWork = true;
    try {
      this.runTodos();
      if (this.alive) this.reportNewFlags();
    } finally {
      this.inAfterWork = false;
    }
  }

  /** save/reset/load in Espruino's order; a save() from an init handler runs once more, not recursively. */
  private runTodos(): void {
    for (let round = 0; round < TODO_ROUNDS_MAX && this.state.todo.size > 0; round++) {
      for (const todo of ["save", "reset", "load"] as const) {
        if (!this.state.todo.delete(todo)) continue;
        this.todoHandler(todo);
        if (!this.alive) return;
      }
    }
    this.state.todo.clear();
  }

  private reportNewFlags(): void {
    if (this.state.newErrorFlags.size === 0) return;
    const flags = [...this.state.newErrorFlags];
    this.state.newErrorFlags.clear();
    this.callListeners(this.realm.global.E as object, "errorFlag", [this.toRealmArray(flags)]);
    this.print(`New interpreter error: ${flags.join(",")}\n`);
  }

  /** An array of the interpreter's realm (so Array.isArray and instanceof hold inside). */
  toRealmArray<T>(items: T[]): T[] {
    const array = new this.realm.Array() as T[];
    for (const item of items) array.push(item);
    return array;
  }

  private idle(dueMs: number): void {
    this.idleTimerId = undefined;
    if (!this.alive || this.hung) return;
    const nowMs = this.clock.nowMs();
    this.idleTimerId = this.putBackIfLate(dueMs, () => this.idle(nowMs));
    this.idleAtMs = nowMs;
    if (this.idleTimerId !== undefined) return;
    for (const uart of this.mcu.uarts.values()) if (uart.pendingRxBytes > 0) this.deliverReceived(uart.name);
    const work = this.queue;
    this.queue = [];
    for (const item of work) if (this.alive && !this.hung) item();
    this.afterWork();
  }

  /** Console bytes go to the REPL; other devices' bytes to their "data" listeners. */
  private deliverReceived(device: string): void {
    const data = this.mcu.uart(device)!.takeReceived();
    if (device === this.mcu.console.device) {
      this.host.repl()?.input(data);
      return;
    }
    const target = this.realm.global[device] as object | undefined;
    if (target !== undefined) this.callListeners(target, "data", [data]);
  }

  private callWithTimeout(fn: Listener, thisArg: unknown, args: unknown[]): void {
    this.realm.global[DISPATCH_SLOT] = () => fn.apply(thisArg, args);
    try {
      this.dispatchScript.runInContext(this.realm.context, { timeout: this.host.callbackTimeoutMs });
    } finally {
      this.realm.global[DISPATCH_SLOT] = undefined;
    }
  }
}

function isTimeout(thrown: unknown): boolean {
  return (thrown as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}
