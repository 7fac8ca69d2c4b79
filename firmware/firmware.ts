/**
 * The controller run on a board: the board's events go in, the controller's actions go out to
 * the board. The same code runs on Espruino (espruino/main.ts) and on the fake board of the
 * core's tests.
 *
 * Every event handler catches what it runs: an exception cuts every output and raises the
 * level (failSafe); a second exception inside that handling halts the watchdog kicks, so the
 * board resets into its persisted level.
 */
import { LEVEL_SEVERED } from "../protocol/constants.ts";
import { CONFIG_FILE, STATE_FILES } from "../protocol/storage-names.ts";
import type { Board, FirmwareEvents } from "./board.ts";
import { Controller, type CoilDriver } from "./core/controller.ts";

export class Firmware implements FirmwareEvents, CoilDriver {
  controller: Controller;
  /** Set when handling an exception threw again: no cycle runs, so the watchdog bites. */
  halted = false;
  /** When the wake asked of the board is due; Infinity while none is. */
  wakeAtMs = Infinity;
  board: Board;

  constructor(board: Board, pathKinds: number[], version: string, watchdogMs: number) {
    this.board = board;
    this.controller = new Controller(pathKinds, version, watchdogMs);
    this.controller.coilDriver = this;
  }

  /** Boot: the controller from Storage, then the board's console, events and watchdog, then the first actions. */
  start(): void {
    const b = this.board;
    const c = this.controller;
    let entropy = "";
    for (let i = 0; i < 8; i++) entropy += b.random() + ",";
    c.start({
      configFile: b.storage.read(CONFIG_FILE),
      stateSlots: [b.storage.read(STATE_FILES[0]), b.storage.read(STATE_FILES[1])],
      entropy: entropy + b.nowMs(),
      inputs: b.readInputs(),
      nowMs: b.nowMs(),
    });
    b.run(this, c.maintenance, c.config.cycleMs, c.watchdogMs);
    this.apply();
  }

  /** One control cycle: read everything, step the core, act, and only then kick the watchdog. */
  cycle(): void {
    if (this.halted) return;
    const b = this.board;
    try {
      this.controller.tick(b.nowMs(), b.readFeedback(), b.readInputs(), b.errorFlags());
      this.apply();
      // Reached only when the cycle and its actions ran without an exception.
      b.kickWatchdog();
    } catch (e) {
      this.failSafe();
    }
  }

  wake(): void {
    this.wakeAtMs = Infinity;
    this.cycle();
  }

  receive(link: number, data: string): void {
    if (this.halted) return;
    try {
      this.controller.receive(link, data, this.board.nowMs());
      this.apply();
    } catch (e) {
      this.failSafe();
    }
  }

  /** Drives the coils the controller commands, and tells it when (a relay settles from then). */
  driveCoils(): void {
    const relays = this.controller.relays;
    this.board.setCoils(relays.coils);
    // Only a changed command needs the time it was driven at (most cycles change none).
    if (relays.unwritten === 0) return;
    relays.written(this.board.nowMs());
    this.controller.scheduleWake();
  }

  /** Carries out the controller's actions: coils first, then flash, then frames. */
  apply(): void {
    const b = this.board;
    const c = this.controller;
    this.driveCoils();
    b.setLed(c.level >= LEVEL_SEVERED);
    // Most calls leave no writes and no frames: the empty lists stay.
    let failed = false;
    const writes = c.writes;
    if (writes.length > 0) {
      c.writes = [];
      for (let i = 0; i < writes.length; i++) if (!b.storage.write(writes[i].name, writes[i].data)) failed = true;
    }
    const outbox = c.outbox;
    if (outbox.length > 0) {
      c.outbox = [];
      for (let i = 0; i < outbox.length; i++) b.write(outbox[i].link, outbox[i].text);
    }
    if (failed) throw new Error("flash write failed");
    this.scheduleWake();
  }

  /** Cuts every output; then tries to record the fault. Never returns with a path closed. */
  failSafe(): void {
    const b = this.board;
    b.setCoils(0);
    try {
      this.controller.exception(b.nowMs());
      this.apply();
    } catch (e) {
      b.setCoils(0);
      this.halted = true;
    }
  }

  /** Asks the board for one wake at the controller's next deadline when it comes before the wake asked already. */
  scheduleWake(): void {
    const at = this.controller.wakeAtMs;
    if (at === Infinity || at >= this.wakeAtMs) return;
    this.wakeAtMs = at;
    this.board.wakeIn(Math.max(0, at - this.board.nowMs()));
  }
}
