/**
 * The board interface (HAL): everything the firmware needs from a microcontroller, and
 * nothing more. `espruino/board.ts` implements it on Espruino's APIs; the simulator runs that
 * very implementation inside its Espruino-like runtime, so there is no second board here.
 *
 * Each method states what every implementation guarantees.
 */

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

  /** Queues `text` for transmission on link 0 (host) or 1 (ops). Never echoes, never evaluates. */
  send(link: number, text: string): void;

  /** Milliseconds on a monotonic clock; never goes backwards within one boot. */
  nowMs(): number;

  /** 32 bits from the hardware RNG (plain rand() on ESP32: the core mixes it through SHA-256). */
  random32(): number;

  /** Contents of persisted file `name` (at most 28 characters), or undefined when absent. */
  readFile(name: string): string | undefined;

  /** Persists `data` as file `name`; returns false when the write failed. */
  writeFile(name: string, data: string): boolean;

  /** Kicks the hardware watchdog. Called only at the end of a healthy control cycle. */
  kickWatchdog(): void;

  /** Interpreter error flags raised since the last call (e.g. "LOW_MEMORY"); clears them. */
  takeErrorFlags(): string[];
}
