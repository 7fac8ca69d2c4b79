/**
 * Operator signatures (docs/protocol.md section 3): tag(operatorKey, "G2|id|AUTH|cnonce|target")
 * and the AUTH lines that carry them. Pure, so an operator can sign on an offline machine.
 */
import { NONCE_HEX_CHARS, TAG_HEX_CHARS } from "../protocol/constants.ts";
import { isControllerId, isDecimal, parseLevel } from "../protocol/fields.ts";
import { fromHex, isHex } from "../protocol/hex.ts";
import { HmacKey, tag } from "../protocol/hmac.ts";
import { authSignatureInput } from "../protocol/messages.ts";
import { parseControllerFrame } from "../protocol/controller-frames.ts";

/** What an operator signs: the controller, the challenge nonce and the target level. */
export interface Challenge {
  id: string;
  nonce: string;
  target: number;
}

export interface AuthLine {
  /** The controller and level the signature is for: tools check both before submitting. */
  id: string;
  target: number;
  nonce: string;
  operator: number;
  signature: string;
  line: string;
}

export function signChallenge(challenge: Challenge, operator: number, keyHex: string): AuthLine {
  const key = new HmacKey(fromHex(keyHex));
  const signature = tag(key, authSignatureInput(challenge.id, challenge.nonce, challenge.target));
  const line = `AUTH ${challenge.id} ${challenge.target} ${challenge.nonce} ${operator} ${signature}`;
  return { id: challenge.id, target: challenge.target, nonce: challenge.nonce, operator, signature, line };
}

/** Parses `AUTH <id> <target> <cnonce> <operator> <signature>` as pasted by an operator. */
export function parseAuthLine(text: string): AuthLine | { error: string } {
  const line = text.trim();
  const f = line.split(" ");
  if (f.length !== 6 || f[0] !== "AUTH") return { error: `"${line}" is not an AUTH line (AUTH <id> <target> <nonce> <operator> <signature>)` };
  if (!isControllerId(f[1])) return { error: `"${line}": the controller id must be 1-16 of a-z, 0-9, '-'` };
  if (parseLevel(f[2]) < 0) return { error: `"${line}": the target must be a level 0-5` };
  if (!isHex(f[3], NONCE_HEX_CHARS)) return { error: `"${line}": the nonce must be ${NONCE_HEX_CHARS} lowercase hex digits` };
  if (!isDecimal(f[4], 1)) return { error: `"${line}": the operator must be an index 0-9` };
  if (!isHex(f[5], TAG_HEX_CHARS)) return { error: `"${line}": the signature must be ${TAG_HEX_CHARS} lowercase hex digits` };
  return { id: f[1], target: parseLevel(f[2]), nonce: f[3], operator: Number(f[4]), signature: f[5], line };
}

/**
 * The challenge in `text`: the JSON printed by `guillotine ops challenge --json` (which names
 * the controller), or a raw `CHAL <cnonce> <target> <ttl> <need>` line plus `id`.
 */
export function parseChallengeText(text: string, id: string | undefined): Challenge | { error: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let value: Partial<Challenge>;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { error: "the challenge JSON does not parse" };
    }
    const { nonce, target } = value;
    const challengeId = value.id ?? id;
    if (typeof challengeId !== "string" || !isControllerId(challengeId)) return { error: "the challenge JSON lacks a valid id" };
    if (typeof nonce !== "string" || !isHex(nonce, NONCE_HEX_CHARS) || typeof target !== "number") return { error: "the challenge JSON lacks nonce or target" };
    return { id: challengeId, nonce, target };
  }
  const frame = parseControllerFrame(trimmed);
  if (frame.type !== "CHAL") return { error: `"${trimmed}" is neither a CHAL line nor challenge JSON` };
  if (id === undefined) return { error: "a CHAL line does not name the controller: add --id" };
  return { id, nonce: frame.nonce, target: frame.target };
}
