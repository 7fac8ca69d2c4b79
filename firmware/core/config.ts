/**
 * The controller configuration: what provisioning writes and the firmware checks at every
 * boot. One format, one validator, used by both `guillotine provision` and the firmware, so
 * a file the tool accepts is exactly a file the controller accepts.
 *
 * Stored in Storage file CONFIG_FILE as `<sha256 hex of the JSON text> <JSON text>`.
 */
import {
  KEY_HEX_CHARS, LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED, MEASUREMENT_HEX_CHARS, POLICY_TRIGGERS,
} from "../../protocol/constants.ts";
import { isControllerId } from "../../protocol/fields.ts";
import { isHex, toHex, asciiBytes } from "../../protocol/hex.ts";
import type { Sha256 } from "../../protocol/hmac.ts";
import {
  CHALLENGE_TTL_S_MAX, CHALLENGE_TTL_S_MIN, CYCLE_MS_MAX, CYCLE_MS_MIN, DEADLINE_MS_MAX, DEADLINE_MS_MIN,
  FLOOD_MAX_MAX, FLOOD_WINDOW_MS_MAX, FLOOD_WINDOW_MS_MIN, MEASUREMENTS_MAX, OPERATORS_MAX,
  PULSE_MS_MAX, PULSE_MS_MIN, SETTLE_MS_MAX, SETTLE_MS_MIN,
} from "./limits.ts";

export const CONFIG_FILE = "gcfg";
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
}

/** What ships: the defaults of DESIGN.md for every field provisioning may leave out. */
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
  };
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && Math.floor(value) === value && value >= min && value <= max;
}

/** Integer fields and their bounds: [field, min, max]. */
const INTEGER_FIELDS: [string, number, number][] = [
  ["cycleMs", CYCLE_MS_MIN, CYCLE_MS_MAX],
  ["relaySettleMs", SETTLE_MS_MIN, SETTLE_MS_MAX],
  ["pulseMs", PULSE_MS_MIN, PULSE_MS_MAX],
  ["challengeTtlS", CHALLENGE_TTL_S_MIN, CHALLENGE_TTL_S_MAX],
];

const KNOWN_FIELDS = ["version", "id", "hostKey", "operators", "quorum", "measurements", "deadlineMs", "policy", "flood", "challengeTtlS", "relaySettleMs", "cycleMs", "pulseMs"];

/** Checks `value` is an integer in [min, max]; the message names the field and the range. */
function checkInteger(value: unknown, field: string, min: number, max: number, errors: string[]): void {
  if (!isInteger(value, min, max)) errors.push(field + ": must be an integer " + min + "-" + max);
}

/** A list of 1 to countMax distinct hex strings of hexChars digits. */
function checkHexList(list: unknown, field: string, hexChars: number, countMax: number, errors: string[]): void {
  if (!Array.isArray(list) || list.length < 1 || list.length > countMax) {
    errors.push(field + ": must be a list of 1-" + countMax + " entries");
    return;
  }
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== "string" || !isHex(list[i], hexChars) || list.indexOf(list[i]) !== i) {
      errors.push(field + "[" + i + "]: must be " + hexChars + " lowercase hex digits, not repeated");
    }
  }
}

function checkTimings(c: ControllerConfig, errors: string[]): void {
  for (let i = 0; i < INTEGER_FIELDS.length; i++) {
    const rule = INTEGER_FIELDS[i];
    checkInteger((c as unknown as { [field: string]: unknown })[rule[0]], rule[0], rule[1], rule[2], errors);
  }
  const d = c.deadlineMs;
  if (!Array.isArray(d) || d.length !== 3) return void errors.push("deadlineMs: must be [standard, probation, severed]");
  // A deadline shorter than two cycles could pass between two supervision checks.
  for (let i = 0; i < 3; i++) checkInteger(d[i], "deadlineMs[" + i + "]", Math.max(DEADLINE_MS_MIN, 2 * c.cycleMs), DEADLINE_MS_MAX, errors);
  if (!(d[1] <= d[0] && d[0] <= d[2])) errors.push("deadlineMs: must be probation <= standard <= severed");
  const f = c.flood;
  if (typeof f !== "object" || f === null) return void errors.push("flood: must be {max, windowMs}");
  checkInteger(f.max, "flood.max", 1, FLOOD_MAX_MAX, errors);
  checkInteger(f.windowMs, "flood.windowMs", FLOOD_WINDOW_MS_MIN, FLOOD_WINDOW_MS_MAX, errors);
}

function checkPolicy(policy: { [trigger: string]: unknown }, errors: string[]): void {
  const names = Object.keys(policy);
  for (let i = 0; i < names.length; i++) {
    // A trigger mapped to standard would be an error path that leaves the level unchanged.
    if (POLICY_TRIGGERS.indexOf(names[i]) < 0) errors.push("policy." + names[i] + ": unknown trigger (known: " + POLICY_TRIGGERS.join(", ") + ")");
    else checkInteger(policy[names[i]], "policy." + names[i], LEVEL_PROBATION, LEVEL_OFFLINE, errors);
  }
}

/**
 * Checks a parsed configuration, filling defaults for the optional fields. Returns the
 * config, or every problem found, each naming its field.
 */
export function validateConfig(value: unknown): { config?: ControllerConfig; errors: string[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { errors: ["configuration: must be a JSON object"] };
  const errors: string[] = [];
  const given = value as { [field: string]: unknown };
  const c = Object.assign(defaultConfigFields(), given) as unknown as ControllerConfig;
  const policy = given.policy;
  if (policy !== undefined && (typeof policy !== "object" || policy === null)) errors.push("policy: must be an object of trigger: level");
  else c.policy = Object.assign(defaultConfigFields().policy as object, policy) as { [trigger: string]: number };
  const fields = Object.keys(given);
  for (let i = 0; i < fields.length; i++) if (KNOWN_FIELDS.indexOf(fields[i]) < 0) errors.push(fields[i] + ": unknown field");
  if (c.version !== CONFIG_VERSION) errors.push("version: must be " + CONFIG_VERSION);
  if (typeof c.id !== "string" || !isControllerId(c.id)) errors.push("id: must be 1-16 of a-z, 0-9, '-'");
  checkHexList([c.hostKey], "hostKey", KEY_HEX_CHARS, 1, errors);
  checkHexList(c.operators, "operators", KEY_HEX_CHARS, OPERATORS_MAX, errors);
  if (Array.isArray(c.operators)) {
    checkInteger(c.quorum, "quorum", 1, c.operators.length, errors);
    if (c.operators.indexOf(c.hostKey) >= 0) errors.push("operators: must not hold hostKey");
  }
  checkHexList(c.measurements, "measurements", MEASUREMENT_HEX_CHARS, MEASUREMENTS_MAX, errors);
  checkTimings(c, errors);
  checkPolicy(c.policy, errors);
  return errors.length === 0 ? { config: c, errors: errors } : { errors: errors };
}

/** The stored form of a configuration JSON text: its SHA-256 in hex, a space, the text. */
export function encodeConfigFile(jsonText: string, sha256: Sha256): string {
  return toHex(sha256(asciiBytes(jsonText))) + " " + jsonText;
}

/** Reads a stored configuration; errors name what is wrong (missing, corrupt, invalid). */
export function decodeConfigFile(stored: string | undefined, sha256: Sha256): { config?: ControllerConfig; errors: string[] } {
  if (stored === undefined) return { errors: ["configuration missing: provision the controller"] };
  const space = stored.indexOf(" ");
  const text = stored.substring(space + 1);
  if (space !== 64 || toHex(sha256(asciiBytes(text))) !== stored.substring(0, 64)) return { errors: ["configuration corrupt: digest does not match"] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { errors: ["configuration corrupt: not JSON"] };
  }
  return validateConfig(parsed);
}
