/**
 * The controller configuration: what provisioning writes and the firmware checks at every
 * boot. One format, one validator, used by both `guillotine provision` and the firmware, so
 * a file the tool accepts is exactly a file the controller accepts.
 *
 * Stored in Storage file CONFIG_FILE (storage-names.ts) as `<sha256 hex of the JSON text> <JSON text>`.
 */
import {
  KEY_HEX_CHARS, LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED, MEASUREMENT_HEX_CHARS,
} from "./constants.ts";
import { isControllerId } from "./fields.ts";
import { isHex, toHex } from "./hex.ts";
import { sha256 } from "#sha256";
import {
  CHALLENGE_TTL_S_MAX, CHALLENGE_TTL_S_MIN, CYCLE_MS_MAX, CYCLE_MS_MIN, DEADLINE_MS_MAX, DEADLINE_MS_MIN,
  FLOOD_MAX_MAX, FLOOD_WINDOW_MS_MAX, FLOOD_WINDOW_MS_MIN, MEASUREMENTS_MAX, OPERATORS_MAX,
  PULSE_MS_MAX, PULSE_MS_MIN, SETTLE_MS_MAX, SETTLE_MS_MIN,
} from "./config-limits.ts";

export const CONFIG_VERSION = 1;

export interface ControllerConfig {
  version: number;
  /** Controller id, 1-16 of a-z 0-9 '-'. */
  id: string;
  /** Heartbeat MAC key, 64 hex. */
  hostKey: string;
  /** Operator keys, 64 hex each; an operator's index in this list is their number. */
  operators: string[];
  /** Signatures needed to lower the level or enter an irreversible level (k of k-of-n). */
  quorum: number;
  /** Allowed attestation measurements, 32 hex each. */
  measurements: string[];
  /** Heartbeat deadlines at standard, probation and severed. */
  deadlineMs: number[];
  /** Level each policy trigger raises to (1-3). */
  policy: { [trigger: string]: number };
  flood: { max: number; windowMs: number };
  challengeTtlS: number;
  relaySettleMs: number;
  cycleMs: number;
  pulseMs: number;
  /** The lowest level a boot starts at (severed or offline): the controller cannot tell a planned reset from a crash. */
  bootLevel: number;
}

/** What ships: the defaults of docs/design.md for every field provisioning may leave out. */
export function defaultConfigFields(): { [field: string]: unknown } {
  return {
    deadlineMs: [1000, 500, 3000],
    policy: {
      mac: LEVEL_SEVERED, replay: LEVEL_SEVERED, measurement: LEVEL_OFFLINE, flood: LEVEL_SEVERED,
      estop: LEVEL_OFFLINE, tamper: LEVEL_OFFLINE, relay: LEVEL_OFFLINE, exception: LEVEL_OFFLINE,
      errorflag: LEVEL_OFFLINE,
    },
    flood: { max: 8, windowMs: 1000 },
    challengeTtlS: 300,
    relaySettleMs: 30,
    cycleMs: 50,
    pulseMs: 500,
    bootLevel: LEVEL_OFFLINE,
  };
}

/**
 * Checks a parsed configuration, filling defaults for the optional fields. Returns the
 * config, or every problem found, each naming its field and what it must be.
 */
export function validateConfig(value: unknown): { config?: ControllerConfig; errors: string[] } {
  // The rule tables and helpers are made inside: they are needed only while a configuration is
  // checked, so on the board they live only then instead of holding variable blocks for good
  // (boot code creates an inner function when its outer function runs).
  const errors: string[] = [];
  /** Records `field: must be <rule>` unless `ok`; every message has this one shape. */
  function check(ok: boolean, field: string, rule: string): void {
    if (!ok) errors.push(field + ": must be " + rule);
  }

  function checkInteger(value: unknown, field: string, min: number, max: number): void {
    check(typeof value === "number" && Math.floor(value) === value && value >= min && value <= max, field, "an integer " + min + "-" + max);
  }

  /** A list of 1 to countMax distinct strings of hexChars lowercase hex digits. */
  function checkHexList(list: unknown, field: string, hexChars: number, countMax: number): void {
    let ok = Array.isArray(list) && list.length >= 1 && list.length <= countMax;
    for (let i = 0; ok && i < (list as unknown[]).length; i++) {
      const item = (list as unknown[])[i];
      ok = typeof item === "string" && isHex(item, hexChars) && (list as unknown[]).indexOf(item) === i;
    }
    check(ok, field, "1-" + countMax + " distinct strings of " + hexChars + " lowercase hex digits");
  }

  check(typeof value === "object" && value !== null && !Array.isArray(value), "configuration", "a JSON object");
  if (errors.length > 0) return { errors: errors };
  const given = value as { [field: string]: unknown };
  const fields = Object.keys(given);
  // Integer fields with their bounds: [field, min, max].
  const integers: [string, number, number][] = [
    ["version", CONFIG_VERSION, CONFIG_VERSION],
    ["cycleMs", CYCLE_MS_MIN, CYCLE_MS_MAX],
    ["relaySettleMs", SETTLE_MS_MIN, SETTLE_MS_MAX],
    ["pulseMs", PULSE_MS_MIN, PULSE_MS_MAX],
    ["challengeTtlS", CHALLENGE_TTL_S_MIN, CHALLENGE_TTL_S_MAX],
    // Every boot is a doubt: a boot below severed would let heartbeats alone close the network.
    ["bootLevel", LEVEL_SEVERED, LEVEL_OFFLINE],
  ];
  // Every field a configuration may hold: the integer fields and these.
  const known = ["id", "hostKey", "operators", "quorum", "measurements", "deadlineMs", "policy", "flood"].concat(integers.map((rule) => rule[0]));
  for (let i = 0; i < fields.length; i++) check(known.indexOf(fields[i]) >= 0, fields[i], "one of " + known.join(", "));
  const c = Object.assign(defaultConfigFields(), given) as unknown as ControllerConfig;
  for (let i = 0; i < integers.length; i++) {
    const rule = integers[i];
    checkInteger((c as unknown as { [field: string]: unknown })[rule[0]], rule[0], rule[1], rule[2]);
  }
  check(typeof c.id === "string" && isControllerId(c.id), "id", "1-16 of a-z, 0-9, '-'");
  check(typeof c.hostKey === "string" && isHex(c.hostKey, KEY_HEX_CHARS), "hostKey", KEY_HEX_CHARS + " lowercase hex digits");
  checkHexList(c.operators, "operators", KEY_HEX_CHARS, OPERATORS_MAX);
  if (Array.isArray(c.operators)) {
    check(c.operators.indexOf(c.hostKey) < 0, "operators", "keys other than hostKey");
    checkInteger(c.quorum, "quorum", 1, c.operators.length);
  }
  checkHexList(c.measurements, "measurements", MEASUREMENT_HEX_CHARS, MEASUREMENTS_MAX);
  const d = Array.isArray(c.deadlineMs) && c.deadlineMs.length === 3 ? c.deadlineMs : [];
  for (let i = 0; i < 3; i++) checkInteger(d[i], "deadlineMs[" + i + "]", DEADLINE_MS_MIN, DEADLINE_MS_MAX);
  check(d[1] <= d[0] && d[0] <= d[2], "deadlineMs", "ordered: probation <= standard <= severed");
  const flood = (typeof c.flood === "object" && c.flood) || { max: -1, windowMs: -1 };
  checkInteger(flood.max, "flood.max", 1, FLOOD_MAX_MAX);
  checkInteger(flood.windowMs, "flood.windowMs", FLOOD_WINDOW_MS_MIN, FLOOD_WINDOW_MS_MAX);
  const policy = given.policy;
  check(policy === undefined || (typeof policy === "object" && policy !== null), "policy", "an object of trigger: level");
  const defaults = defaultConfigFields().policy as { [trigger: string]: number };
  // The defaults name every trigger, in POLICY_TRIGGERS' order (config.test.ts): read from them,
  // the list is built only while checking, not held by the board for good.
  const knownTriggers = Object.keys(defaults);
  c.policy = Object.assign(defaults, policy) as { [trigger: string]: number };
  const triggers = Object.keys(c.policy);
  for (let i = 0; i < triggers.length; i++) {
    const field = "policy." + triggers[i];
    check(knownTriggers.indexOf(triggers[i]) >= 0, field, "one of " + knownTriggers.join(", "));
    // A trigger mapped to standard would be an error path that leaves the level unchanged.
    checkInteger(c.policy[triggers[i]], field, LEVEL_PROBATION, LEVEL_OFFLINE);
  }
  return errors.length === 0 ? { config: c, errors: errors } : { errors: errors };
}

/** The stored form of a configuration JSON text: its SHA-256 in hex, a space, the text. */
export function encodeConfigFile(jsonText: string): string {
  return toHex(sha256(jsonText)) + " " + jsonText;
}

/** The configuration file `config` is stored as: what provisioning writes. */
export function storedConfig(config: ControllerConfig): string {
  return encodeConfigFile(JSON.stringify(config));
}

/**
 * Reads a stored configuration; errors name what is wrong (missing, corrupt, invalid). Only the
 * firmware reads stored files, and it keeps no message: those of the file itself stay terse.
 */
export function decodeConfigFile(stored: string | undefined): { config?: ControllerConfig; errors: string[] } {
  if (stored === undefined) return { errors: ["config missing"] };
  const space = stored.indexOf(" ");
  const text = stored.substring(space + 1);
  if (space !== 64 || toHex(sha256(text)) !== stored.substring(0, 64)) return { errors: ["config digest wrong"] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { errors: ["config not JSON"] };
  }
  return validateConfig(parsed);
}
