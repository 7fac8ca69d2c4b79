/**
 * What can go wrong with the hardware around the firmware. Faults are only ever injected by
 * fault-injection.ts (SimulatedBoard.inject); deciding whether the firmware coped is the job
 * of checkers, which never inject anything (TigerBeetle keeps the two apart the same way).
 *
 * Relays are numbered in profile order, as in Board.setCoils: path p, relay r is 2p + r.
 * Faults marked "persistent" stay until injected again with `active: false`.
 */
/** Error flags the interpreter can raise (E.getErrorFlags()). */
export type ErrorFlag = "FIFO_FULL" | "BUFFER_FULL" | "CALLBACK" | "LOW_MEMORY" | "MEMORY" | "UART_OVERFLOW";
export const ERROR_FLAGS: readonly ErrorFlag[] = ["FIFO_FULL", "BUFFER_FULL", "CALLBACK", "LOW_MEMORY", "MEMORY", "UART_OVERFLOW"];

export type Fault =
  /** Persistent. The main contact stays closed whatever the coil does; being force-guided, the
   *  mirror contact then stays open, so the feedback input reads "not released". */
  | { kind: "relay-welded"; relay: number; active?: boolean }
  /** Persistent. The coil never draws current: the relay stays released. */
  | { kind: "coil-open"; relay: number; active?: boolean }
  /** Persistent. The feedback input is held at `level` whatever the mirror contact does. */
  | { kind: "feedback-stuck"; relay: number; level: 0 | 1; active?: boolean }
  /** Supply lost now, or at board time `atMs`; stays off until powerOn(). */
  | { kind: "power-loss"; atMs?: number }
  /**
   * Supply lost in the middle of the next Storage write (to `file`, or to any file): the first
   * `afterBytes` bytes reach flash (default: a seeded random cut), the rest stay erased (0xFF),
   * and a replaced file's old copy is already gone, as on real flash.
   */
  | { kind: "power-loss-during-write"; file?: string; afterBytes?: number }
  /** The interpreter hangs: no timer, watch or data callback runs and the idle loop stops,
   *  so only the hardware watchdog (if enabled) gets the board back. */
  | { kind: "firmware-hang" }
  /** Flips `bytes` (default 1) random bytes of Storage file `file` (seeded). */
  | { kind: "flash-corruption"; file: string; bytes?: number }
  /** `bytes` random bytes arrive on `device`'s RX line (paced like real traffic). */
  | { kind: "serial-noise"; device: string; bytes: number }
  /** Persistent. Each byte crossing `device`'s line (both directions) has one bit flipped with
   *  probability `bitFlipProbability` and is lost with probability `dropProbability`. */
  | { kind: "link-errors"; device: string; bitFlipProbability?: number; dropProbability?: number; active?: boolean }
  /** The cable of `device` is pulled: nothing crosses it until "link-replugged". For "USB" the
   *  console also moves as on the real board (unless E.setConsole(..., {force:true})). */
  | { kind: "link-unplugged"; device: string }
  | { kind: "link-replugged"; device: string }
  /** Raises an interpreter error flag as if the interpreter had hit that condition. */
  | { kind: "error-flag"; flag: ErrorFlag }
  /** Persistent until injected with blocks 0: `blocks` variables are taken from the free pool
   *  (as a leak would), so process.memory() reports less free memory. */
  | { kind: "memory-pressure"; blocks: number };

export type FaultKind = Fault["kind"];
