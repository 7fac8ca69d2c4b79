/**
 * Test-only: the frames a well-behaved (or deliberately misbehaving) attester and operators
 * send, built with the shared protocol functions, so every test rig and the bench sign exactly
 * what docs/protocol.md specifies. Unlike attester/heartbeat.ts these builders do not
 * refuse odd fields: a test must be able to send a level 5 request or a foreign controller id
 * on purpose.
 */
import { fromHex } from "../hex.ts";
import { HmacKey, tag } from "../hmac.ts";
import { authSignatureInput, heartbeatBody, heartbeatMacInput } from "../messages.ts";

export interface HeartbeatSpec {
  id: string;
  nonce: string;
  seq: number;
  level: number;
  measurement: string;
  keyHex: string;
}

const keys = new Map<string, HmacKey>();

/** HMAC key blocks, cached: the soak and the fuzzer sign millions of frames with few keys. */
function hmacKey(keyHex: string): HmacKey {
  let key = keys.get(keyHex);
  if (key === undefined) {
    key = new HmacKey(fromHex(keyHex));
    keys.set(keyHex, key);
  }
  return key;
}

/** `HB <session> <seq> <level> <measurement> <mac>` without the LF. */
export function heartbeatLine(spec: HeartbeatSpec): string {
  const body = heartbeatBody(spec.nonce, spec.seq, spec.level, spec.measurement);
  return body + " " + tag(hmacKey(spec.keyHex), heartbeatMacInput(spec.id, spec.nonce, body));
}

/** `AUTH <id> <target> <cnonce> <operator> <signature>` without the LF. */
export function authLine(id: string, challengeNonce: string, target: number, operator: number, keyHex: string): string {
  const signature = tag(hmacKey(keyHex), authSignatureInput(id, challengeNonce, target));
  return `AUTH ${id} ${target} ${challengeNonce} ${operator} ${signature}`;
}
