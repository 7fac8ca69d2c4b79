/**
 * Builds `HB <session> <seq> <level> <measurement> <mac>` (docs/protocol.md section 5). Every field is
 * checked before the frame leaves, as the firmware checks it again after parsing: a frame
 * the controller would reject as SYNTAX is a bug here, and the assertion says which field.
 */
import { LEVEL_SINGLE_AUTHORITY_MAX, MEASUREMENT_HEX_CHARS, NONCE_HEX_CHARS, SEQUENCE_MAX } from "../protocol/constants.ts";
import { isControllerId } from "../protocol/fields.ts";
import { isHex } from "../protocol/hex.ts";
import { tag } from "../protocol/hmac.ts";
import type { HmacKey } from "../protocol/hmac.ts";
import { heartbeatBody, heartbeatMacInput } from "../protocol/messages.ts";

export interface HeartbeatFields {
  id: string;
  sessionNonce: string;
  seq: number;
  /** Level asked for: 0 = no request, at most offline (the host cannot ask for more). */
  level: number;
  measurement: string;
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error("heartbeat: " + message);
}

export function buildHeartbeat(fields: HeartbeatFields, key: HmacKey): string {
  assert(isControllerId(fields.id), "id is not a controller id");
  assert(isHex(fields.sessionNonce, NONCE_HEX_CHARS), "session nonce is not 32 hex digits");
  assert(Number.isInteger(fields.seq) && fields.seq >= 1 && fields.seq <= SEQUENCE_MAX, "seq out of range");
  assert(Number.isInteger(fields.level) && fields.level >= 0 && fields.level <= LEVEL_SINGLE_AUTHORITY_MAX, "level out of range");
  assert(isHex(fields.measurement, MEASUREMENT_HEX_CHARS), "measurement is not 32 hex digits");
  const body = heartbeatBody(fields.sessionNonce, fields.seq, fields.level, fields.measurement);
  return body + " " + tag(key, heartbeatMacInput(fields.id, fields.sessionNonce, body));
}
