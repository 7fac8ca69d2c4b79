/**
 * Handlers of the frames the controller accepts (docs/protocol.md section 5). Each checks its
 * frame completely before acting and answers with the error code of the first check that
 * fails, or nothing; handleLine() turns a code into one rejection: counted toward the flood
 * trigger, answered `ERR <code>` at a bounded rate, and for a bad MAC, a replay or an unknown
 * measurement also the policy trigger of that name.
 */
import {
  CAUSE_HOST, CAUSE_OPERATOR, CAUSE_QUORUM, ERR_ARM, ERR_CHALLENGE, ERR_CHARSET, ERR_CONFIG, ERR_DUPLICATE,
  ERR_LEVEL, ERR_LINK, ERR_MAC, ERR_MEASUREMENT, ERR_OPERATOR, ERR_RATE, ERR_REPLAY, ERR_SIGNATURE, ERR_SYNTAX,
  ERR_TOOLONG, ERR_UNKNOWN, LEVEL_DECAPITATION, LEVEL_SINGLE_AUTHORITY_MAX, LINK_HOST, LINK_OPS,
  MEASUREMENT_HEX_CHARS, NONCE_HEX_CHARS, SEQUENCE_MAX, TAG_HEX_CHARS,
} from "../../protocol/constants.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { equalConstantTime, fromHex, isHex } from "../../protocol/hex.ts";
import { HmacKey, tag } from "../../protocol/hmac.ts";
import { LINE_CHARSET, LINE_TOOLONG } from "../../protocol/lines.ts";
import { heartbeatMacInput } from "../../protocol/messages.ts";
import { AUTH_BAD_SIGNATURE, AUTH_DUPLICATE, AUTH_NO_CHALLENGE } from "./challenge.ts";
import { SEND_EARNED, type Controller } from "./controller.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_TAMPER } from "./inputs.ts";
import { CHALLENGE_INTERVAL_MIN_MS } from "./limits.ts";

/** Rejections that are also policy triggers; the trigger is the code in lower case. */
const TRIGGERING_ERRORS = [ERR_MAC, ERR_REPLAY, ERR_MEASUREMENT];

/** Handles one line, or rejects it. */
export function handleLine(c: Controller, link: number, text: string, status: number): void {
  const code = dispatch(c, link, text, status);
  if (code === undefined) return;
  c.reject(link, code);
  if (TRIGGERING_ERRORS.indexOf(code) >= 0) c.trigger(code.toLowerCase());
}

/** Framing checks, then the handler of the frame's type; returns the error code, if any. */
function dispatch(c: Controller, link: number, text: string, status: number): string | void {
  if (status === LINE_TOOLONG) return ERR_TOOLONG;
  if (status === LINE_CHARSET) return ERR_CHARSET;
  const f = text.split(" ");
  const type = f[0];
  if (f.indexOf("") >= 0) return ERR_SYNTAX;
  if (type === "SYNC") return f.length === 1 ? c.hello(link) : ERR_SYNTAX;
  const hostFrame = type === "HB";
  if (!hostFrame && type !== "STATUS" && type !== "CHAL" && type !== "AUTH" && type !== "LOG") return ERR_UNKNOWN;
  if (hostFrame !== (link === LINK_HOST)) return ERR_LINK;
  if (type === "STATUS") return f.length === 1 ? c.send(LINK_OPS, c.status()) : ERR_SYNTAX;
  if (type === "LOG") return logRead(c, f);
  if (!c.provisioned) return ERR_CONFIG;
  if (type === "HB") return heartbeat(c, f, text);
  if (type === "CHAL") return challenge(c, f);
  return auth(c, f);
}

/** `HB <seq> <level> <measurement> <mac>`: syntax, replay, MAC, measurement, then accept. */
function heartbeat(c: Controller, f: string[], text: string): string | void {
  const level = f.length === 5 ? parseLevel(f[2]) : -1;
  const ok = level >= 0 && isDecimal(f[1], 10) && isHex(f[3], MEASUREMENT_HEX_CHARS) && isHex(f[4], TAG_HEX_CHARS);
  const seq = ok ? parseInt(f[1], 10) : 0;
  if (seq < 1 || seq > SEQUENCE_MAX) return ERR_SYNTAX;
  if (seq <= c.lastSeq) return ERR_REPLAY;
  const body = text.substring(0, text.length - TAG_HEX_CHARS - 1);
  if (!equalConstantTime(f[4], tag(c.hostKey!, heartbeatMacInput(c.config.id, c.sessionNonce, body)))) return ERR_MAC;
  // Authentic from here on: the sequence is spent even if the measurement is refused.
  c.lastSeq = seq;
  if (c.config.measurements.indexOf(f[3]) < 0) return ERR_MEASUREMENT;
  c.lastHeartbeatMs = c.nowMs;
  c.raise(Math.min(level, LEVEL_SINGLE_AUTHORITY_MAX), CAUSE_HOST);
  c.send(LINK_HOST, "ACK " + seq + " " + c.level, SEND_EARNED);
}

/** True when a restore must wait: irreversible levels never clear, and a held e-stop or open tamper loop blocks it. */
function lowerBlocked(c: Controller): boolean {
  return c.level >= LEVEL_DECAPITATION || (c.inputs & (INPUT_ESTOP | INPUT_TAMPER)) !== 0;
}

/** `CHAL <target>`: a fresh challenge for moving to `target`. */
function challenge(c: Controller, f: string[]): string | void {
  const target = f.length === 2 ? parseLevel(f[1]) : -1;
  if (target < 0) return ERR_SYNTAX;
  if (c.nowMs - c.lastChallengeMs < CHALLENGE_INTERVAL_MIN_MS) return ERR_RATE;
  const lowering = target < c.level;
  if (target === c.level || (lowering && lowerBlocked(c))) return ERR_LEVEL;
  c.lastChallengeMs = c.nowMs;
  const need = !lowering && target <= LEVEL_SINGLE_AUTHORITY_MAX ? 1 : c.config.quorum;
  const nonce = c.nextNonce("challenge");
  c.challenge.open(nonce, target, need, c.nowMs + c.config.challengeTtlS * 1000);
  c.send(LINK_OPS, "CHAL " + nonce + " " + target + " " + c.config.challengeTtlS + " " + need);
}

/** `AUTH <cnonce> <operator> <signature>`: one operator's approval of the challenge. */
function auth(c: Controller, f: string[]): string | void {
  const ok = f.length === 4 && isHex(f[1], NONCE_HEX_CHARS) && isDecimal(f[2], 1) && isHex(f[3], TAG_HEX_CHARS);
  if (!ok) return ERR_SYNTAX;
  const operator = parseInt(f[2], 10);
  const operators = c.provisioned ? c.config.operators : [];
  if (operator >= operators.length) return ERR_OPERATOR;
  // Built per AUTH, which is rare: five keys' padded blocks held for good would cost about 85 blocks of RAM.
  const result = c.challenge.sign(c.config.id, f[1], operator, new HmacKey(fromHex(operators[operator])), f[3], c.nowMs);
  if (result === AUTH_NO_CHALLENGE) return ERR_CHALLENGE;
  if (result === AUTH_DUPLICATE) return ERR_DUPLICATE;
  if (result === AUTH_BAD_SIGNATURE) return ERR_SIGNATURE;
  const have = c.challenge.have();
  const need = c.challenge.need;
  c.send(LINK_OPS, "AUTH " + have + " " + need);
  if (have < need) return;
  // Enough signatures: the challenge is spent whatever happens next.
  const target = c.challenge.target;
  c.challenge.close();
  if (target >= LEVEL_DECAPITATION && (c.inputs & INPUT_ARM) === 0) return ERR_ARM;
  if (target > c.level) return c.raise(target, need === 1 ? CAUSE_OPERATOR : CAUSE_QUORUM);
  // The one way down: re-check what CHAL checked, the inputs may have changed since.
  if (lowerBlocked(c)) return ERR_LEVEL;
  if (target < c.level) c.setLevel(target, CAUSE_QUORUM);
}

/** `LOG <index>`: one entry, or LOGEND past the newest. */
function logRead(c: Controller, f: string[]): string | void {
  if (f.length !== 2 || !isDecimal(f[1], 10)) return ERR_SYNTAX;
  const entry = c.log.entryAt(parseInt(f[1], 10));
  c.send(LINK_OPS, entry === undefined ? "LOGEND " + c.log.next + " " + c.log.head : "LOG " + entry);
}
