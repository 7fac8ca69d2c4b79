/**
 * The board interface in memory, for the core's tests: the firmware runs on it through the
 * same wiring as on Espruino (firmware.ts). Time stands still until the test moves it; the
 * cycle timer and the wake fire only in advance(), so a test that steps the firmware itself
 * sees exactly the events it made.
 */
import type { Board, FirmwareEvents } from "../board.ts";
import { INPUT_MAINTENANCE } from "../core/inputs.ts";

/** Every relay released: feedback of ideal relays is the complement of the coils. */
const RELAYS_MASK = 0xff;

export class FakeBoard implements Board {
  time = 0;
  coils = 0;
  /** Every setCoils() mask, in order. */
  coilsLog: number[] = [];
  /** What readFeedback() reads; undefined: ideal relays, released exactly when not energised. */
  feedback: number | undefined = undefined;
  inputs = 0;
  led = false;
  /** Everything written to the links, in order. */
  sent: { link: number; text: string }[] = [];
  storage = new FakeStorage();
  /** Flags errorFlags() reports next. */
  flags: string[] = [];
  /** Seeds random(): the same text gives the same numbers. */
  entropy = "entropy";
  randomCalls = 0;
  /** What run() was given; undefined before it ran. */
  events: FirmwareEvents | undefined = undefined;
  consoleReachable: boolean | undefined = undefined;
  cycleMs = 0;
  watchdogMs = 0;
  /** When the watchdog bites unless kicked (Infinity: not armed). */
  watchdogDueMs = Infinity;
  /** When the next cycle timer fires, and the asked wake (Infinity: none). */
  nextCycleMs = Infinity;
  wakeDueMs = Infinity;

  setCoils(mask: number): void {
    this.coils = mask;
    this.coilsLog.push(mask);
  }

  readFeedback(): number {
    return this.feedback ?? ~this.coils & RELAYS_MASK;
  }

  readInputs(): number {
    return this.inputs;
  }

  nowMs(): number {
    return this.time;
  }

  setLed(on: boolean): void {
    this.led = on;
  }

  write(link: number, text: string): void {
    this.sent.push({ link, text });
  }

  /** FNV-1a of the entropy text and the call's number: 32 bits, repeatable. */
  random(): number {
    let hash = 0x811c9dc5;
    const text = `${this.entropy}#${this.randomCalls++}`;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }

  errorFlags(): string[] {
    const flags = this.flags;
    this.flags = [];
    return flags;
  }

  run(events: FirmwareEvents, maintenance: boolean, cycleMs: number, watchdogMs: number): void {
    if (this.events !== undefined) throw new Error("run() twice: the board's boot wiring is once per boot");
    this.consoleReachable = maintenance;
    this.events = events;
    this.cycleMs = cycleMs;
    this.nextCycleMs = this.time + cycleMs;
    this.watchdogMs = watchdogMs;
    this.watchdogDueMs = this.time + watchdogMs;
  }

  wakeIn(ms: number): void {
    this.wakeDueMs = this.time + ms;
  }

  kickWatchdog(): void {
    this.watchdogDueMs = this.time + this.watchdogMs;
  }

  /** Sets an input and, for an edge of any but maintenance, runs a cycle as the pin watch does. */
  press(input: number, active: boolean): void {
    const before = this.inputs;
    this.inputs = active ? before | input : before & ~input;
    if (this.inputs !== before && input !== INPUT_MAINTENANCE) this.events?.cycle();
  }

  /** Raises an interpreter error flag; the board runs a cycle for it. */
  raiseFlag(flag: string): void {
    this.flags.push(flag);
    this.events?.cycle();
  }

  /** Moves time to `untilMs`, firing the cycle timer and the wake when due, in time order; false when the watchdog bit first. */
  advance(untilMs: number): boolean {
    for (;;) {
      const next = Math.min(this.nextCycleMs, this.wakeDueMs);
      if (this.watchdogDueMs <= Math.min(next, untilMs)) {
        this.time = this.watchdogDueMs;
        return false;
      }
      if (next > untilMs) break;
      this.time = next;
      if (next === this.wakeDueMs) {
        this.wakeDueMs = Infinity;
        this.events?.wake();
      } else {
        this.nextCycleMs += this.cycleMs;
        this.events?.cycle();
      }
    }
    this.time = untilMs;
    return true;
  }
}

/** The board's files in memory. */
export class FakeStorage {
  files: { [name: string]: string } = {};
  /** While true, every write fails. */
  failWrites = false;

  read(name: string): string | undefined {
    return this.files[name];
  }

  write(name: string, data: string): boolean {
    if (this.failWrites) return false;
    this.files[name] = data;
    return true;
  }
}
