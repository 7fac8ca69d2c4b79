/**
 * The bounds of the configuration file format (protocol/config.ts): what provisioning may
 * write and the firmware accepts. Shared by both sides and by the hardware profiles, which
 * check a board's watchdog against them; config-limits.test.ts checks their relations.
 */

/** Operator keys a controller holds (n of k-of-n). */
export const OPERATORS_MAX = 5;
/** Allowed attestation measurements. */
export const MEASUREMENTS_MAX = 4;
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
