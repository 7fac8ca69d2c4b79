/**
 * One direction of a serial cable. A pty or TCP socket delivers bytes instantly; a UART does
 * not, so bytes are paced here at the line's baud rate on the board's Clock (8N1: ten bit
 * times per byte, 86.8 µs at 115200). Unpaced lines (USB, Bluetooth) deliver in order at the
 * current instant. Link faults (bit flips, lost bytes, an unplugged cable) act here, seeded.
 */
import { strict as assert } from "node:assert";
import type { Clock } from "../clock.ts";
import type { Rng } from "../rng.ts";

/** 8N1: one start bit, eight data bits, one stop bit. */
export const BITS_PER_BYTE_8N1 = 10;
export const BAUD_DEFAULT = 115200;
/** Bytes in flight on one line; a peer that writes more is cut off (guards against runaway tests). */
export const LINE_QUEUE_BYTES_MAX = 1 << 20;
/**
 * The most line time one delivery covers. On a RealClock the line's timer can run late (the
 * host process was descheduled), with many bytes overdue: a real line would have handed them
 * over one by one while the board's idle loop took them, so they are delivered in chunks of
 * this span, each carrying the due time of its last byte, and the receiver's idle loop runs at
 * that time, before the next chunk (simulator/interpreter/kernel.ts, scheduleIdle). Delivering
 * them all at once would overflow the board's receive buffer, which no real line can do.
 * 1 ms: the RealClock's timer granularity, about 12 bytes at 115200 baud.
 */
export const DELIVERY_SPAN_MS_MAX = 1;

export function byteTimeMs(baud: number): number {
  assert(baud > 0, `baud must be positive, got ${baud}`);
  return (BITS_PER_BYTE_8N1 * 1000) / baud;
}

export interface LineErrors {
  bitFlipProbability: number;
  dropProbability: number;
}

export interface SerialLineOptions {
  clock: Clock;
  rng: Rng;
  /**
   * Bytes that finished crossing the line, as a binary string (one char per byte), and when
   * the last of them arrived (the current time, unless the line's timer ran late).
   */
  deliver: (data: string, atMs: number) => void;
  /** Undefined: unpaced (USB, Bluetooth). */
  baud: number | undefined;
}

export class SerialLine {
  private lineBaud: number | undefined;
  private queue: number[] = [];
  private head = 0;
  /** The line has been busy since this time; byte k of the busy period arrives at start + (k+1) byte times (no float drift). */
  private busyStartMs = 0;
  private deliveredInPeriod = 0;
  private timerId: number | undefined;
  private pluggedIn = true;
  private errors: LineErrors = { bitFlipProbability: 0, dropProbability: 0 };

  constructor(private readonly options: SerialLineOptions) {
    this.lineBaud = options.baud;
  }

  get baud(): number | undefined {
    return this.lineBaud;
  }

  /** A new rate applies to the bytes still queued, from now. */
  set baud(baud: number | undefined) {
    this.lineBaud = baud;
    this.startPeriod();
  }

  get plugged(): boolean {
    return this.pluggedIn;
  }

  get pendingBytes(): number {
    return this.queue.length - this.head;
  }

  /** Puts bytes on the line; they arrive one byte time apart after those already in flight. */
  send(data: string): void {
    if (!this.pluggedIn || data.length === 0) return;
    assert(this.pendingBytes + data.length <= LINE_QUEUE_BYTES_MAX, `more than ${LINE_QUEUE_BYTES_MAX} bytes in flight on one serial line`);
    if (this.pendingBytes === 0) this.startPeriod();
    for (let index = 0; index < data.length; index++) this.queue.push(data.charCodeAt(index) & 0xff);
    this.arm();
  }

  setErrors(errors: LineErrors): void {
    assert(errors.bitFlipProbability >= 0 && errors.bitFlipProbability <= 1, "bit flip probability out of 0..1");
    assert(errors.dropProbability >= 0 && errors.dropProbability <= 1, "drop probability out of 0..1");
    this.errors = { ...errors };
  }

  /** Pulling the cable loses what is in flight; nothing crosses until plugIn(). */
  unplug(): void {
    this.pluggedIn = false;
    this.clear();
  }

  plugIn(): void {
    this.pluggedIn = true;
  }

  /** Drops every byte in flight (power loss at either end). */
  clear(): void {
    if (this.timerId !== undefined) this.options.clock.clearTimer(this.timerId);
    this.timerId = undefined;
    this.queue = [];
    this.head = 0;
  }

  private byteMs(): number {
    return this.lineBaud === undefined ? 0 : byteTimeMs(this.lineBaud);
  }

  private startPeriod(): void {
    this.busyStartMs = this.options.clock.nowMs();
    this.deliveredInPeriod = 0;
  }

  private headDueMs(): number {
    return this.busyStartMs + (this.deliveredInPeriod + 1) * this.byteMs();
  }

  private arm(): void {
    if (this.timerId !== undefined || this.pendingBytes === 0) return;
    this.timerId = this.options.clock.setTimer(this.headDueMs(), () => this.arrive(), true);
  }

  /**
   * Delivers the bytes due by now, at most DELIVERY_SPAN_MS_MAX of line time of them (one per
   * timer on a VirtualClock, a few on a RealClock); overdue ones left are next in the clock's
   * queue, at their own due time.
   */
  private arrive(): void {
    this.timerId = undefined;
    const untilMs = Math.min(this.options.clock.nowMs(), this.headDueMs() + DELIVERY_SPAN_MS_MAX);
    let chunk = "";
    let lastDueMs = this.headDueMs();
    while (this.pendingBytes > 0 && this.headDueMs() <= untilMs) {
      lastDueMs = this.headDueMs();
      const byte = this.corrupt(this.queue[this.head++]);
      if (byte !== undefined) chunk += String.fromCharCode(byte);
      this.deliveredInPeriod++;
    }
    if (this.pendingBytes === 0) this.clear();
    // Delivered before the next chunk's timer is set: what the delivery schedules at the same
    // time (the receiver's idle loop) then runs first, also where the clock moves past-due
    // timers to now (a VirtualClock after charge()).
    if (chunk.length > 0) this.options.deliver(chunk, lastDueMs);
    this.arm();
  }

  private corrupt(byte: number): number | undefined {
    const { rng } = this.options;
    if (rng.chance(this.errors.dropProbability)) return undefined;
    if (rng.chance(this.errors.bitFlipProbability)) return byte ^ (1 << rng.int(8));
    return byte;
  }
}
