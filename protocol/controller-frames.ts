/**
 * Parses the frames a controller sends (docs/protocol.md section 4) into typed values, so the
 * agent and the operator tools handle frames, never raw text. Every field is checked; a frame
 * that does not match its row exactly is returned as `invalid` with the reason.
 */
import { HASH_HEX_CHARS, NONCE_HEX_CHARS, TAG_HEX_CHARS } from "./constants.ts";
import { isControllerId, isDecimal, parseLevel } from "./fields.ts";
import { isHex } from "./hex.ts";

/** Active state of the four inputs, in the order of the STATUS `inputs` field. */
export interface Inputs {
  estop: boolean;
  tamper: boolean;
  arm: boolean;
  maintenance: boolean;
}

export type ControllerFrame =
  | {
      type: "HELLO"; version: number; id: string; firmware: string; nonce: string; level: number; seq: number;
      /** One letter per path in STATUS order: n network, p power, d decapitation, i immolation. */
      kinds: string;
    }
  | { type: "ACK"; seq: number; level: number }
  | { type: "LEVEL"; level: number; cause: string }
  | {
      type: "STATUS"; level: number; cause: string; paths: string; inputs: Inputs;
      ageMs: number | null; seq: number; uptimeS: number; logNext: number;
      /** This session's boot number, and the boot in which `cause` was latched. */
      boot: number; causeBoot: number;
    }
  | { type: "CHAL"; nonce: string; target: number; ttlS: number; need: number }
  | { type: "AUTH"; have: number; need: number }
  | { type: "LOG"; index: number; boot: number; uptimeS: number; cause: string; level: number; count: number; prev: string }
  | { type: "LOGEND"; next: number; head: string }
  | { type: "HEAD"; next: number; head: string; tag: string }
  | { type: "ERR"; code: string }
  | { type: "invalid"; text: string; reason: string };

/** Decimal fields carry at most 10 digits (sequence numbers reach 4294967295). */
const DECIMAL_DIGITS_MAX = 10;
const FIRMWARE_CHARS_MAX = 16;
const FIELD_COUNTS: Record<string, number> = {
  HELLO: 8, ACK: 3, LEVEL: 3, STATUS: 11, CHAL: 5, AUTH: 3, LOG: 8, LOGEND: 3, HEAD: 4, ERR: 2,
};

class FieldError extends Error {}

function decimal(text: string, name: string): number {
  if (!isDecimal(text, DECIMAL_DIGITS_MAX)) throw new FieldError(`${name} is not a decimal number`);
  return Number(text);
}

function level(text: string, name: string): number {
  const value = parseLevel(text);
  if (value < 0) throw new FieldError(`${name} is not a level 0-5`);
  return value;
}

function hex(text: string, length: number, name: string): string {
  if (!isHex(text, length)) throw new FieldError(`${name} is not ${length} lowercase hex digits`);
  return text;
}

function word(text: string, pattern: RegExp, name: string): string {
  if (!pattern.test(text)) throw new FieldError(`${name} has unexpected characters`);
  return text;
}

function inputs(text: string): Inputs {
  if (!/^[01]{4}$/.test(text)) throw new FieldError("inputs is not four 0/1 digits");
  return { estop: text[0] === "1", tamper: text[1] === "1", arm: text[2] === "1", maintenance: text[3] === "1" };
}

const CAUSE = /^[a-z]{1,16}$/;

function parseFields(f: string[]): ControllerFrame {
  switch (f[0]) {
    case "HELLO": {
      if (!isControllerId(f[2])) throw new FieldError("id is not a controller id");
      if (f[3].length > FIRMWARE_CHARS_MAX) throw new FieldError("fw is longer than 16 characters");
      const firmware = word(f[3], /^[0-9a-z.-]+$/, "fw");
      return {
        type: "HELLO", version: decimal(f[1], "version"), id: f[2], firmware,
        nonce: hex(f[4], NONCE_HEX_CHARS, "nonce"), level: level(f[5], "level"), seq: decimal(f[6], "seq"),
        kinds: word(f[7], /^[npdi]{1,16}$/, "kinds"),
      };
    }
    case "ACK":
      return { type: "ACK", seq: decimal(f[1], "seq"), level: level(f[2], "level") };
    case "LEVEL":
      return { type: "LEVEL", level: level(f[1], "level"), cause: word(f[2], CAUSE, "cause") };
    case "STATUS":
      return {
        type: "STATUS", level: level(f[1], "level"), cause: word(f[2], CAUSE, "cause"),
        paths: word(f[3], /^[COTF]{1,16}$/, "paths"), inputs: inputs(f[4]),
        ageMs: f[5] === "-" ? null : decimal(f[5], "age"), seq: decimal(f[6], "seq"),
        uptimeS: decimal(f[7], "uptime"), logNext: decimal(f[8], "lognext"),
        boot: decimal(f[9], "boot"), causeBoot: decimal(f[10], "causeboot"),
      };
    case "CHAL":
      return {
        type: "CHAL", nonce: hex(f[1], NONCE_HEX_CHARS, "cnonce"), target: level(f[2], "target"),
        ttlS: decimal(f[3], "ttl"), need: decimal(f[4], "need"),
      };
    case "AUTH":
      return { type: "AUTH", have: decimal(f[1], "have"), need: decimal(f[2], "need") };
    case "LOG":
      return {
        type: "LOG", index: decimal(f[1], "index"), boot: decimal(f[2], "boot"), uptimeS: decimal(f[3], "uptime"),
        cause: word(f[4], CAUSE, "cause"), level: level(f[5], "level"), count: decimal(f[6], "count"),
        prev: hex(f[7], HASH_HEX_CHARS, "prev"),
      };
    case "LOGEND":
      return { type: "LOGEND", next: decimal(f[1], "next"), head: hex(f[2], HASH_HEX_CHARS, "head") };
    case "HEAD":
      return { type: "HEAD", next: decimal(f[1], "next"), head: hex(f[2], HASH_HEX_CHARS, "head"), tag: hex(f[3], TAG_HEX_CHARS, "tag") };
    case "ERR":
      return { type: "ERR", code: word(f[1], /^[A-Z]{1,16}$/, "code") };
    default:
      throw new FieldError(`unknown frame type "${f[0]}"`);
  }
}

/** The typed frame of one received line (without its LF). */
export function parseControllerFrame(text: string): ControllerFrame {
  const fields = text.split(" ");
  const expected = FIELD_COUNTS[fields[0]];
  if (expected === undefined) return { type: "invalid", text, reason: `unknown frame type "${fields[0]}"` };
  if (fields.length !== expected || fields.includes("")) {
    return { type: "invalid", text, reason: `${fields[0]} needs ${expected} fields separated by single spaces` };
  }
  try {
    return parseFields(fields);
  } catch (error) {
    if (error instanceof FieldError) return { type: "invalid", text, reason: `${fields[0]}: ${error.message}` };
    throw error;
  }
}
