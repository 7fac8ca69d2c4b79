/**
 * Every fixed cap of the firmware, in one place. limits.test.ts checks the relations between
 * them, so a change that breaks one fails `make test` before it reaches a board.
 */

/** Operator keys a controller holds (n of k-of-n). */
export const OPERATORS_MAX = 5;
/** Allowed attestation measurements. */
export const MEASUREMENTS_MAX = 4;
/** Event-log entries kept in RAM and in flash. */
export const LOG_ENTRIES_MAX = 16;
/**
 * Replies (HELLO, ACK, ERR, STATUS, ...) queued between two drains by the board layer; more are
 * dropped, since a peer can ask for any number in one chunk. LEVEL announcements always go out:
 * at most two per level change and five changes per call, so OUTBOX_LEVEL_FRAMES_MAX more.
 */
export const OUTBOX_MAX = 24;
export const OUTBOX_LEVEL_FRAMES_MAX = 10;
/**
 * Reply bytes per link per second (LEVEL announcements excepted): about 70% of a 115200 baud
 * line (11,520 bytes/s), so a flood of short requests (a 5-byte SYNC earns a 75-byte HELLO)
 * can neither fill the transmit buffer, whose full state blocks Espruino's write(), nor bury
 * ACKs for long; legitimate polling stays far below it.
 */
export const REPLY_BYTES_PER_SECOND_MAX = 8192;
/** Error replies per link per second; more are counted but not sent. */
export const ERROR_REPLIES_PER_SECOND_MAX = 8;
/** Shortest time between two challenges. */
export const CHALLENGE_INTERVAL_MIN_MS = 1000;
/** Period of unsolicited STATUS frames on the ops link while at probation. */
export const PROBATION_STATUS_PERIOD_MS = 1000;
/**
 * Hardware watchdog timeout; the control cycle kicks it. A hung interpreter keeps its outputs
 * until the watchdog bites, so this must not exceed the shortest heartbeat deadline.
 */
export const WATCHDOG_MS = 250;
/** Bounds accepted for provisioned timings. */
export const CYCLE_MS_MIN = 10;
export const CYCLE_MS_MAX = 60;
export const DEADLINE_MS_MIN = 250;
export const DEADLINE_MS_MAX = 60000;
export const SETTLE_MS_MIN = 5;
export const SETTLE_MS_MAX = 500;
export const PULSE_MS_MIN = 50;
export const PULSE_MS_MAX = 5000;
export const CHALLENGE_TTL_S_MIN = 10;
export const CHALLENGE_TTL_S_MAX = 3600;
export const FLOOD_MAX_MAX = 100;
export const FLOOD_WINDOW_MS_MIN = 100;
export const FLOOD_WINDOW_MS_MAX = 60000;
