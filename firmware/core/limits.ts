/**
 * Every fixed cap of the firmware's own buffers and rates, in one place; the bounds of what a
 * configuration may ask for are protocol/config-limits.ts.
 */

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
