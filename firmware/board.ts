/**
 * The board interface (HAL): everything the firmware needs from a microcontroller, and
 * nothing more. `espruino/board.ts` implements it on Espruino's APIs; `testing/fake-board.ts`
 * implements it in memory for the core's tests; both run the same wiring (`firmware.ts`) and
 * pass the same contract suite (`board-contract.ts`).
 *
 * Each member states what every implementation guarantees. The wiring calls every member as
 * `board.member(...)`; on Espruino several are the interpreter's own functions, held as they
 * are (a wrapper would cost variable blocks for nothing), which ignore `this`.
 */

/** What the board calls back with: every callback the firmware has. */
export interface FirmwareEvents {
  /** A control cycle is due: the cycle timer, an input edge, or an interpreter error flag. */
  cycle(): void;
  /** The wake asked for with wakeIn() is due. */
  wake(): void;
  /** `data` arrived on link 0 (host) or 1 (ops): any number of bytes, not split into lines. */
  receive(link: number, data: string): void;
}

export interface Board {
  /**
   * Energises exactly the relay coils whose bit is set in `mask` (bit i = relay i in profile
   * order) and de-energises every other coil before returning. `setCoils(0)` is always safe,
   * idempotent and never delayed or refused.
   */
  setCoils(mask: number): void;

  /**
   * Reads every force-guided feedback contact now: bit i is 1 when relay i reports released
   * (its mirror contact closed, so its main contact is open). A broken feedback wire reads 0,
   * which disagrees with a released command and so is caught.
   */
  readFeedback(): number;

  /** Reads the INPUT_* bits of core/inputs.ts now, translated from each pin's active level. */
  readInputs(): number;

  /** Milliseconds on a monotonic clock; never goes backwards within one boot. */
  nowMs(): number;

  /** Lights the status LED when `on`, darkens it otherwise. */
  setLed(on: boolean): void;

  /** Queues `text` on link 0 (host) or 1 (ops); never echoes, never evaluates. */
  write(link: number, text: string): void;

  /**
   * The persistent files: `read(name)` gives the file `name` (at most 28 characters) or
   * undefined; `write(name, data)` persists it and is false when the write failed.
   */
  storage: { read(name: string): string | undefined; write(name: string, data: string): boolean };

  /** 32 bits from the hardware RNG (plain rand() on an ESP32: the core mixes it through SHA-256). */
  random(): number;

  /** The interpreter's error flags raised since the last call (e.g. "LOW_MEMORY"), clearing them. */
  errorFlags(): string[];

  /**
   * Boot only, once, in this order: the REPL placed on the programming port when
   * `maintenance`, else nowhere reachable and never on a link; from then on link data goes to
   * `events.receive`, and an edge of the e-stop, tamper or arm input (maintenance is read at
   * boot only), an interpreter error flag and every `cycleMs` milliseconds to `events.cycle`;
   * last, a watchdog that resets the board unless kicked within `watchdogMs`.
   */
  run(events: FirmwareEvents, maintenance: boolean, cycleMs: number, watchdogMs: number): void;

  /** After run(): `events.wake` once, `ms` milliseconds from now, in place of any wake asked before. */
  wakeIn(ms: number): void;

  /** Postpones the watchdog's reset by its whole timeout. */
  kickWatchdog(): void;
}
