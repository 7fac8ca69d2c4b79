/**
 * A safety relay with force-guided contacts: a normally-open main contact (in the path) and a
 * normally-closed mirror contact (wired to the feedback input). Mechanically linked, the two
 * are never closed together: on operate the mirror opens before the main closes, on release
 * the main opens before the mirror closes. A closing contact bounces (seeded) before it
 * settles. A welded main contact stays closed and so holds the mirror open: the feedback then
 * says "not released" whatever the coil does, which is how the firmware catches it.
 */
import { strict as assert } from "node:assert";
import type { Clock } from "../clock.ts";
import type { Rng } from "../rng.ts";
import type { RelayTiming } from "./relay-timing.ts";

export type Contact = "main" | "mirror";

export interface RelayOptions {
  clock: Clock;
  rng: Rng;
  timing: RelayTiming;
  onCoil: (energised: boolean) => void;
  onContact: (contact: Contact, closed: boolean) => void;
}

export class Relay {
  /** Current flows in the coil (the driver is on and the coil is intact). */
  coilEnergised = false;
  mainClosed = false;
  mirrorClosed = true;
  welded = false;
  coilOpen = false;
  private driverOn = false;
  private pending: number[] = [];

  constructor(private readonly options: RelayOptions) {}

  /** The coil driver's state, from the MCU pin. */
  setDriver(on: boolean): void {
    this.driverOn = on;
    this.update();
  }

  setCoilOpen(open: boolean): void {
    this.coilOpen = open;
    this.update();
  }

  /** A weld closes the main contact now and keeps it (and so the mirror's opening) until cleared. */
  setWelded(welded: boolean): void {
    this.welded = welded;
    if (welded) {
      this.cancelPending();
      this.setContact("mirror", false);
      this.setContact("main", true);
    } else {
      this.settle();
    }
  }

  private update(): void {
    const energised = this.driverOn && !this.coilOpen;
    if (energised === this.coilEnergised) return;
    this.coilEnergised = energised;
    this.options.onCoil(energised);
    this.settle();
  }

  /** Schedules the contact movement towards the state the coil asks for. */
  private settle(): void {
    this.cancelPending();
    if (this.welded) return;
    const { timing } = this.options;
    const startMs = this.options.clock.nowMs() + (this.coilEnergised ? timing.operateMs : timing.releaseMs);
    const opening: Contact = this.coilEnergised ? "mirror" : "main";
    const closing: Contact = this.coilEnergised ? "main" : "mirror";
    if (this.isClosed(closing) && !this.isClosed(opening)) return;
    this.at(startMs, () => this.setContact(opening, false));
    this.scheduleBounce(closing, startMs);
  }

  private scheduleBounce(contact: Contact, startMs: number): void {
    const { timing, rng } = this.options;
    this.at(startMs, () => this.setContact(contact, true));
    if (timing.bounceMs <= 0 || timing.bounceCountMax <= 0) return;
    const bounces = rng.int(timing.bounceCountMax + 1);
    const offsetsMs: number[] = [];
    for (let index = 0; index < 2 * bounces; index++) offsetsMs.push(rng.nextFloat() * timing.bounceMs);
    offsetsMs.sort((a, b) => a - b);
    offsetsMs.forEach((offsetMs, index) => this.at(startMs + offsetMs, () => this.setContact(contact, index % 2 === 1)));
    this.at(startMs + timing.bounceMs, () => this.setContact(contact, true));
  }

  private isClosed(contact: Contact): boolean {
    return contact === "main" ? this.mainClosed : this.mirrorClosed;
  }

  private setContact(contact: Contact, closed: boolean): void {
    if (this.isClosed(contact) === closed) return;
    if (contact === "main") this.mainClosed = closed;
    else this.mirrorClosed = closed;
    assert(!(this.mainClosed && this.mirrorClosed), "force-guided contacts: main and mirror closed together");
    this.options.onContact(contact, closed);
  }

  private at(atMs: number, fn: () => void): void {
    this.pending.push(this.options.clock.setTimer(atMs, fn, true));
  }

  private cancelPending(): void {
    for (const id of this.pending) this.options.clock.clearTimer(id);
    this.pending = [];
  }
}
