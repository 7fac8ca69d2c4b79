/**
 * Protocol v2 constants shared by the firmware and the host tools.
 * docs/protocol.md is the normative description; these names follow it.
 * This file is bundled into the firmware: keep it plain data.
 */

export const PROTOCOL_VERSION = 2;

/** Longest frame in bytes, counting the terminating LF. Longer lines are discarded whole. */
export const FRAME_BYTES_MAX = 128;

/** Hex digits of a MAC or operator signature on the wire: the first 16 bytes of HMAC-SHA256. */
export const TAG_HEX_CHARS = 32;
/** Hex digits of a session nonce, a challenge nonce, a measurement and a log hash. */
export const NONCE_HEX_CHARS = 32;
export const MEASUREMENT_HEX_CHARS = 32;
export const HASH_HEX_CHARS = 32;
/** Hex digits of a host or operator key (32 bytes). */
export const KEY_HEX_CHARS = 64;
/** Hex digits of the session field of a heartbeat: the first digits of the session nonce. */
export const SESSION_HEX_CHARS = 8;

/** The global a firmware sets to its id as the last step of start(): `guillotine flash` waits for it. */
export const FIRMWARE_ID_GLOBAL = "GUILLOTINE";

/** Largest heartbeat sequence number; the attester starts a new session rather than wrap. */
export const SEQUENCE_MAX = 4294967295;

/** The isolation ladder (docs/design.md). */
export const LEVEL_STANDARD = 0;
export const LEVEL_PROBATION = 1;
export const LEVEL_SEVERED = 2;
export const LEVEL_OFFLINE = 3;
export const LEVEL_DECAPITATION = 4;
export const LEVEL_IMMOLATION = 5;
export const LEVEL_MAX = 5;
/** Highest level the host or a single operator may ask for. */
export const LEVEL_SINGLE_AUTHORITY_MAX = LEVEL_OFFLINE;

export const LEVEL_NAMES = ["standard", "probation", "severed", "offline", "decapitation", "immolation"];

/** Link numbers used in events and actions. */
export const LINK_HOST = 0;
export const LINK_OPS = 1;

/**
 * Error codes carried by `ERR <code>` replies. Every rejected frame gets one (rate-limited).
 */
export const ERR_TOOLONG = "TOOLONG";
export const ERR_CHARSET = "CHARSET";
export const ERR_SYNTAX = "SYNTAX";
export const ERR_UNKNOWN = "UNKNOWN";
export const ERR_LINK = "LINK";
export const ERR_REPLAY = "REPLAY";
export const ERR_MAC = "MAC";
export const ERR_MEASUREMENT = "MEASUREMENT";
export const ERR_LEVEL = "LEVEL";
export const ERR_CHALLENGE = "CHALLENGE";
export const ERR_OPERATOR = "OPERATOR";
export const ERR_DUPLICATE = "DUPLICATE";
export const ERR_SIGNATURE = "SIGNATURE";
export const ERR_ARM = "ARM";
export const ERR_RATE = "RATE";
export const ERR_CONFIG = "CONFIG";
export const ERR_SESSION = "SESSION";

/**
 * Causes: why the level changed. They name `LEVEL` frames, event-log entries and the
 * configurable policy entries (POLICY_TRIGGERS).
 */
export const CAUSE_BOOT = "boot";
export const CAUSE_DEADLINE = "deadline";
export const CAUSE_HOST = "host";
export const CAUSE_MAC = "mac";
export const CAUSE_REPLAY = "replay";
export const CAUSE_MEASUREMENT = "measurement";
export const CAUSE_FLOOD = "flood";
export const CAUSE_ESTOP = "estop";
export const CAUSE_TAMPER = "tamper";
export const CAUSE_RELAY = "relay";
export const CAUSE_EXCEPTION = "exception";
export const CAUSE_ERRORFLAG = "errorflag";
export const CAUSE_CONFIG = "config";
export const CAUSE_STATE = "state";
export const CAUSE_QUORUM = "quorum";
export const CAUSE_OPERATOR = "operator";

/** Triggers whose resulting level is set by the provisioned policy. */
export const POLICY_TRIGGERS = [
  CAUSE_MAC, CAUSE_REPLAY, CAUSE_MEASUREMENT, CAUSE_FLOOD, CAUSE_ESTOP,
  CAUSE_TAMPER, CAUSE_RELAY, CAUSE_EXCEPTION, CAUSE_ERRORFLAG,
];
