/**
 * The board interface (HAL): everything the firmware needs from a microcontroller, and
 * nothing more. `espruino/board.ts` implements the pin and clock functions on Espruino's APIs
 * as plain functions of these signatures; the rest is one Espruino call each, made by
 * `espruino/main.ts` directly with the guarantees listed below. The simulator
 * runs that very code inside its Espruino-like runtime, so there is no second board here.
 *
 * Each member states what every implementation guarantees.
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

  /** Milliseconds on a monotonic clock; never goes backwards within one boot. */
  nowMs(): number;
}

/*
 * What main.ts takes straight from Espruino, one call each, and what it relies on:
 * - link write (`device.write(text)`): queues `text` on link 0 (host) or 1 (ops); never
 *   echoes, never evaluates;
 * - `E.hwRand()`: 32 bits from the hardware RNG (plain rand() on ESP32: the core mixes it
 *   through SHA-256);
 * - Storage `read(name)`: the persisted file `name` (at most 28 characters), or undefined;
 *   `write(name, data)`: persists it, false when the write failed;
 * - `E.kickWatchdog()`: called only at the end of a healthy control cycle;
 * - `E.getErrorFlags()`: interpreter error flags raised since the last call (e.g.
 *   "LOW_MEMORY"), clearing them.
 */
