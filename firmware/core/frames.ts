/**
 * Handlers of the frames the controller accepts (docs/protocol.md section 5). Each checks
 * its frame completely before acting; every rejection goes through reject(), which counts it
 * toward the flood trigger and answers ERR at a bounded rate.
 */
import {
  CAUSE_FLOOD, CAUSE_HOST, CAUSE_MAC, CAUSE_MEASUREMENT, CAUSE_OPERATOR, CAUSE_QUORUM, CAUSE_REPLAY,
  ERR_ARM, ERR_CHALLENGE, ERR_CHARSET, ERR_CONFIG, ERR_DUPLICATE, ERR_LEVEL, ERR_LINK, ERR_MAC,
  ERR_MEASUREMENT, ERR_OPERATOR, ERR_RATE, ERR_REPLAY, ERR_SIGNATURE, ERR_SYNTAX, ERR_TOOLONG, ERR_UNKNOWN,
  LEVEL_DECAPITATION, LEVEL_SINGLE_AUTHORITY_MAX, LINK_HOST, LINK_OPS, MEASUREMENT_HEX_CHARS, NONCE_HEX_CHARS,
  SEQUENCE_MAX, TAG_HEX_CHARS,
} from "../../protocol/constants.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { equalConstantTime, isHex } from "../../protocol/hex.ts";
import { tag } from "../../protocol/hmac.ts";
import { LINE_CHARSET, LINE_TOOLONG } from "../../protocol/lines.ts";
import { heartbeatMacInput } from "../../protocol/messages.ts";
import { AUTH_BAD_SIGNATURE, AUTH_DUPLICATE, AUTH_NO_CHALLENGE } from "./challenge.ts";
import { SEND_EARNED, type Controller } from "./controller.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_TAMPER } from "./inputs.ts";
import { CHALLENGE_INTERVAL_MIN_MS, ERROR_REPLIES_PER_SECOND_MAX } from "./limits.ts";

/** Dispatches one line by its type, after the framing checks. */
export function handleLine(c: Controller, link: number, text: string, status: number, nowMs: number): void {
  if (status === LINE_TOOLONG) return reject(c, link, ERR_TOOLONG, nowMs);
  if (status === LINE_CHARSET) return reject(c, link, ERR_CHARSET, nowMs);
  const f = text.split(" ");
  for (let i = 0; i < f.length; i++) if (f[i] === "") return reject(c, link, ERR_SYNTAX, nowMs);
  const type = f[0];
  const hostFrame = type === "HB";
  const opsFrame = type === "STATUS" || type === "CHAL" || type === "AUTH" || type === "LOG";
  if (type === "SYNC") {
    if (f.length !== 1) return reject(c, link, ERR_SYNTAX, nowMs);
    return c.hello(link);
  }
  if (!hostFrame && !opsFrame) return reject(c, link, ERR_UNKNOWN, nowMs);
  if (hostFrame !== (link === LINK_HOST)) return reject(c, link, ERR_LINK, nowMs);
  if (type === "HB") return heartbeat(c, f, text, nowMs);
  if (type === "STATUS") {
    if (f.length !== 1) return reject(c, link, ERR_SYNTAX, nowMs);
    return c.send(LINK_OPS, c.status(nowMs));
  }
  if (type === "LOG") return logRead(c, f, nowMs);
  if (!c.provisioned) return reject(c, link, ERR_CONFIG, nowMs);
  if (type === "CHAL") return challenge(c, f, nowMs);
  return auth(c, f, nowMs);
}

/** Counts a rejected frame toward the flood trigger and answers ERR, at most N per second. */
export function reject(c: Controller, link: number, code: string, nowMs: number): void {
  const flood = c.config.flood;
  if (nowMs - c.rejectWindowMs[link] >= flood.windowMs) {
    c.rejectWindowMs[link] = nowMs;
    c.rejectCount[link] = 0;
  }
  c.rejectCount[link]++;
  if (c.rejectCount[link] > flood.max) c.trigger(CAUSE_FLOOD, nowMs);
  if (nowMs - c.errorWindowMs[link] >= 1000) {
    c.errorWindowMs[link] = nowMs;
    c.errorCount[link] = 0;
  }
  if (c.errorCount[link] < ERROR_REPLIES_PER_SECOND_MAX) {
    c.errorCount[link]++;
    c.send(link, "ERR " + code);
  }
}

/** `HB <seq> <level> <measurement> <mac>`: syntax, replay, MAC, measurement, then accept. */
function heartbeat(c: Controller, f: string[], text: string, nowMs: number): void {
  if (!c.provisioned) return reject(c, LINK_HOST, ERR_CONFIG, nowMs);
  const ok = f.length === 5 && isDecimal(f[1], 10) && parseLevel(f[2]) >= 0 && isHex(f[3], MEASUREMENT_HEX_CHARS) && isHex(f[4], TAG_HEX_CHARS);
  const seq = ok ? parseInt(f[1], 10) : 0;
  if (!ok || seq < 1 || seq > SEQUENCE_MAX) return reject(c, LINK_HOST, ERR_SYNTAX, nowMs);
  if (seq <= c.lastSeq) {
    reject(c, LINK_HOST, ERR_REPLAY, nowMs);
    return c.trigger(CAUSE_REPLAY, nowMs);
  }
  const body = text.substring(0, text.length - TAG_HEX_CHARS - 1);
  const expected = tag(c.hostKey!, heartbeatMacInput(c.config.id, c.sessionNonce, body), c.sha256);
  if (!equalConstantTime(f[4], expected)) {
    reject(c, LINK_HOST, ERR_MAC, nowMs);
    return c.trigger(CAUSE_MAC, nowMs);
  }
  // Authentic from here on: the sequence is spent even if the measurement is refused.
  c.lastSeq = seq;
  if (c.config.measurements.indexOf(f[3]) < 0) {
    reject(c, LINK_HOST, ERR_MEASUREMENT, nowMs);
    return c.trigger(CAUSE_MEASUREMENT, nowMs);
  }
  c.lastHeartbeatMs = nowMs;
  const requested = parseLevel(f[2]);
  c.raise(Math.min(requested, LEVEL_SINGLE_AUTHORITY_MAX), CAUSE_HOST, nowMs);
  c.send(LINK_HOST, "ACK " + seq + " " + c.level, SEND_EARNED);
}

/** `CHAL <target>`: a fresh challenge for moving to `target`. */
function challenge(c: Controller, f: string[], nowMs: number): void {
  const target = f.length === 2 ? parseLevel(f[1]) : -1;
  if (target < 0) return reject(c, LINK_OPS, ERR_SYNTAX, nowMs);
  if (nowMs - c.lastChallengeMs < CHALLENGE_INTERVAL_MIN_MS) return reject(c, LINK_OPS, ERR_RATE, nowMs);
  const lowering = target < c.level;
  // Irreversible levels never clear in firmware; a held e-stop or open tamper loop blocks restores.
  const blocked = target === c.level || (lowering && (c.level >= LEVEL_DECAPITATION || (c.inputs & (INPUT_ESTOP | INPUT_TAMPER)) !== 0));
  if (blocked) return reject(c, LINK_OPS, ERR_LEVEL, nowMs);
  c.lastChallengeMs = nowMs;
  const need = !lowering && target <= LEVEL_SINGLE_AUTHORITY_MAX ? 1 : c.config.quorum;
  const nonce = c.nextNonce("challenge");
  c.challenge.open(nonce, target, need, nowMs + c.config.challengeTtlS * 1000);
  c.send(LINK_OPS, "CHAL " + nonce + " " + target + " " + c.config.challengeTtlS + " " + need);
}

/** `AUTH <cnonce> <operator> <signature>`: one operator's approval of the challenge. */
function auth(c: Controller, f: string[], nowMs: number): void {
  const ok = f.length === 4 && isHex(f[1], NONCE_HEX_CHARS) && isDecimal(f[2], 1) && isHex(f[3], TAG_HEX_CHARS);
  if (!ok) return reject(c, LINK_OPS, ERR_SYNTAX, nowMs);
  const operator = parseInt(f[2], 10);
  if (operator >= c.operatorKeys.length) return reject(c, LINK_OPS, ERR_OPERATOR, nowMs);
  const result = c.challenge.sign(c.config.id, f[1], operator, c.operatorKeys[operator], f[3], nowMs, c.sha256);
  if (result === AUTH_NO_CHALLENGE) return reject(c, LINK_OPS, ERR_CHALLENGE, nowMs);
  if (result === AUTH_DUPLICATE) return reject(c, LINK_OPS, ERR_DUPLICATE, nowMs);
  if (result === AUTH_BAD_SIGNATURE) return reject(c, LINK_OPS, ERR_SIGNATURE, nowMs);
  const have = c.challenge.have();
  c.send(LINK_OPS, "AUTH " + have + " " + c.challenge.need);
  if (have >= c.challenge.need) applyAuth(c, nowMs);
}

/** A challenge reached its signatures: consume it and move the level. */
function applyAuth(c: Controller, nowMs: number): void {
  const target = c.challenge.target;
  const need = c.challenge.need;
  c.challenge.close();
  if (target >= LEVEL_DECAPITATION && (c.inputs & INPUT_ARM) === 0) return reject(c, LINK_OPS, ERR_ARM, nowMs);
  if (target > c.level) return c.raise(target, need === 1 ? CAUSE_OPERATOR : CAUSE_QUORUM, nowMs);
  // The one way down: re-check what CHAL checked, the inputs may have changed since.
  if (c.level >= LEVEL_DECAPITATION || (c.inputs & (INPUT_ESTOP | INPUT_TAMPER)) !== 0) return reject(c, LINK_OPS, ERR_LEVEL, nowMs);
  if (target < c.level) c.setLevel(target, CAUSE_QUORUM, nowMs);
}

/** `LOG <index>`: one entry, or LOGEND past the newest. */
function logRead(c: Controller, f: string[], nowMs: number): void {
  if (f.length !== 2 || !isDecimal(f[1], 10)) return reject(c, LINK_OPS, ERR_SYNTAX, nowMs);
  const entry = c.log.entryAt(parseInt(f[1], 10));
  c.send(LINK_OPS, entry === undefined ? "LOGEND " + c.log.next + " " + c.log.head : "LOG " + entry);
}
