/**
 * Handlers of the frames the controller accepts (docs/protocol.md section 5). Each checks its
 * frame completely before acting and answers with the error code of the first check that
 * fails, or nothing; the controller's onLine() turns a code into one rejection. A handler
 * reads the controller through FrameContext and changes it only through its methods: the
 * controller alone writes its state.
 */
import {
  CAUSE_OPERATOR, CAUSE_QUORUM, ERR_ARM, ERR_CHALLENGE, ERR_CHARSET, ERR_CONFIG, ERR_DUPLICATE,
  ERR_LEVEL, ERR_LINK, ERR_MAC, ERR_MEASUREMENT, ERR_OPERATOR, ERR_RATE, ERR_REPLAY, ERR_SIGNATURE, ERR_SYNTAX,
  ERR_SESSION, ERR_TOOLONG, ERR_UNKNOWN, KEY_HEX_CHARS, LEVEL_DECAPITATION, LEVEL_SINGLE_AUTHORITY_MAX, LINK_HOST, LINK_OPS,
  MEASUREMENT_HEX_CHARS, NONCE_HEX_CHARS, SEQUENCE_MAX, SESSION_HEX_CHARS, TAG_HEX_CHARS,
} from "../../protocol/constants.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { equalConstantTime, isHex } from "../../protocol/hex.ts";
import { HmacKey, tag, tagMatches } from "../../protocol/hmac.ts";
import { isPrintable, LINE_TOOLONG } from "../../protocol/lines.ts";
import { authSignatureInput, heartbeatMacInput, logHeadInput } from "../../protocol/messages.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import type { Challenge } from "./challenge.ts";
import type { EventLog } from "./event-log.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_TAMPER } from "./inputs.ts";
import { CHALLENGE_INTERVAL_MIN_MS } from "./limits.ts";

/** What the handlers read of the controller, and the changes they ask of it (Controller is one). */
export interface FrameContext {
  readonly config: ControllerConfig;
  readonly provisioned: boolean;
  readonly hostKey: HmacKey | undefined;
  readonly operatorKeys: Uint8Array;
  readonly level: number;
  readonly inputs: number;
  readonly nowMs: number;
  readonly sessionNonce: string;
  readonly lastSeq: number;
  readonly lastChallengeMs: number;
  readonly challenge: Challenge | undefined;
  readonly log: EventLog;
  hello(link: number): void;
  status(): string;
  send(link: number, text: string): void;
  raise(level: number, cause: string): void;
  setLevel(level: number, cause: string): void;
  /** A heartbeat that passed every check: spend its sequence, restart the deadline, raise to its level, ACK. */
  acceptHeartbeat(seq: number, level: number): void;
  /** Open a fresh challenge for moving to `target` with `need` signatures, and announce it. */
  openChallenge(target: number, need: number): void;
  /** Count operator `operator`'s valid signature on the open challenge; a complete quorum spends it. Returns the count. */
  countSignature(operator: number): number;
}

/** Framing checks, then the handler of the frame's type; returns the error code, if any. */
export function dispatch(c: FrameContext, link: number, text: string, status: number): string | void {
  if (status === LINE_TOOLONG) return ERR_TOOLONG;
  // The frame that comes several times a second is told apart first, by one shallow native
  // match that also proves it printable: every check below would answer it the same way.
  if (link === LINK_HOST && c.provisioned && /^HB [ 0-9a-f]*$/.test(text)) return heartbeat(c, text);
  if (!isPrintable(text)) return ERR_CHARSET;
  const f = text.split(" ");
  const type = f[0];
  if (f.indexOf("") >= 0) return ERR_SYNTAX;
  if (type === "SYNC") return f.length === 1 ? c.hello(link) : ERR_SYNTAX;
  const hostFrame = type === "HB";
  // The frame types the ops link accepts besides SYNC (compared, not listed: a table held for good costs blocks).
  const opsFrame = type === "STATUS" || type === "CHAL" || type === "AUTH" || type === "LOG" || type === "HEAD";
  if (!hostFrame && !opsFrame) return ERR_UNKNOWN;
  if (hostFrame !== (link === LINK_HOST)) return ERR_LINK;
  if (type === "STATUS") return f.length === 1 ? c.send(LINK_OPS, c.status()) : ERR_SYNTAX;
  if (type === "LOG") return logRead(c, f);
  if (!c.provisioned) return ERR_CONFIG;
  // A heartbeat on the host link of a provisioned controller that the match refused.
  if (type === "HB") return ERR_SYNTAX;
  if (type === "CHAL") return challenge(c, f);
  if (type === "HEAD") return logHead(c, f);
  return auth(c, f);
}

/**
 * `HB <session> <seq> <level> <measurement> <mac>`, whose characters dispatch() matched
 * (hex digits and spaces after `HB `): the fields with the wire format's own checks (their
 * hex is already proven, so a length is enough), session, replay, MAC, measurement, then
 * accept. A pattern for the fields themselves would be too deep for the interpreter's
 * matcher (tools/build/checks/regexp.ts).
 */
function heartbeat(c: FrameContext, text: string): string | void {
  const f = text.split(" ");
  const level = f.length === 6 ? parseLevel(f[3]) : -1;
  const ok = level >= 0 && f[1].length === SESSION_HEX_CHARS && isDecimal(f[2], 10) && f[4].length === MEASUREMENT_HEX_CHARS && f[5].length === TAG_HEX_CHARS;
  const seq = ok ? parseInt(f[2], 10) : 0;
  if (seq < 1 || seq > SEQUENCE_MAX) return ERR_SYNTAX;
  // Written for another session (in flight across a reboot): nothing to check it against.
  if (!c.sessionNonce.startsWith(f[1])) return ERR_SESSION;
  if (seq <= c.lastSeq) return ERR_REPLAY;
  const body = text.substring(0, text.length - TAG_HEX_CHARS - 1);
  if (!tagMatches(c.hostKey!, heartbeatMacInput(c.config.id, c.sessionNonce, body), f[5])) return ERR_MAC;
  // Only an accepted heartbeat spends its sequence: a refused one may be retried.
  if (c.config.measurements.indexOf(f[4]) < 0) return ERR_MEASUREMENT;
  c.acceptHeartbeat(seq, Math.min(level, LEVEL_SINGLE_AUTHORITY_MAX));
}

/** True when a restore must wait: irreversible levels never clear, and a held e-stop or open tamper loop blocks it. */
function lowerBlocked(c: FrameContext): boolean {
  return c.level >= LEVEL_DECAPITATION || (c.inputs & (INPUT_ESTOP | INPUT_TAMPER)) !== 0;
}

/** `CHAL <target>`: a fresh challenge for moving to `target`. */
function challenge(c: FrameContext, f: string[]): string | void {
  const target = f.length === 2 ? parseLevel(f[1]) : -1;
  if (target < 0) return ERR_SYNTAX;
  if (c.nowMs - c.lastChallengeMs < CHALLENGE_INTERVAL_MIN_MS) return ERR_RATE;
  const lowering = target < c.level;
  if (target === c.level || (lowering && lowerBlocked(c))) return ERR_LEVEL;
  c.openChallenge(target, !lowering && target <= LEVEL_SINGLE_AUTHORITY_MAX ? 1 : c.config.quorum);
}

/**
 * Operator `operator`'s HMAC key, or undefined for none. Built per request (AUTH and HEAD are
 * rare): five keys' padded blocks held for good would cost about 85 blocks of RAM.
 */
function operatorKey(c: FrameContext, operator: number): HmacKey | undefined {
  const keys = c.operatorKeys;
  const at = (operator * KEY_HEX_CHARS) >> 1;
  return at < keys.length ? new HmacKey(new Uint8Array(keys.buffer, at, KEY_HEX_CHARS >> 1)) : undefined;
}

/**
 * `AUTH <id> <target> <cnonce> <operator> <signature>`: one operator's approval of the
 * challenge. One reply: `AUTH <have> <need>`, or the ERR that stopped it, even when the
 * signature completed a quorum that cannot act (the challenge is then spent).
 */
function auth(c: FrameContext, f: string[]): string | void {
  const ok = f.length === 6 && parseLevel(f[2]) >= 0 && isHex(f[3], NONCE_HEX_CHARS) && isDecimal(f[4], 1) && isHex(f[5], TAG_HEX_CHARS);
  if (!ok) return ERR_SYNTAX;
  const operator = parseInt(f[4], 10);
  const key = operatorKey(c, operator);
  if (key === undefined) return ERR_OPERATOR;
  // A line for another controller (the id is compared as bytes) or another target answers no challenge of ours.
  const ch = c.challenge;
  if (ch === undefined || f[1] !== c.config.id || f[2] !== "" + ch.target) return ERR_CHALLENGE;
  if (c.nowMs >= ch.expiresMs || !equalConstantTime(f[3], ch.nonce)) return ERR_CHALLENGE;
  if ((ch.signed >> operator) & 1) return ERR_DUPLICATE;
  if (!tagMatches(key, authSignatureInput(c.config.id, ch.nonce, ch.target), f[5])) return ERR_SIGNATURE;
  const need = ch.need;
  const target = ch.target;
  // Enough signatures spend the challenge, whatever happens next.
  const have = c.countSignature(operator);
  if (have >= need) {
    if (target >= LEVEL_DECAPITATION && (c.inputs & INPUT_ARM) === 0) return ERR_ARM;
    // The one way down: re-check what CHAL checked, the inputs may have changed since.
    if (target < c.level && lowerBlocked(c)) return ERR_LEVEL;
  }
  c.send(LINK_OPS, "AUTH " + have + " " + need);
  if (have < need) return;
  if (target > c.level) c.raise(target, need === 1 ? CAUSE_OPERATOR : CAUSE_QUORUM);
  else if (target < c.level) c.setLevel(target, CAUSE_QUORUM);
}

/** `HEAD <operator> <vnonce>`: the log head, tagged with that operator's key over the verifier's nonce. */
function logHead(c: FrameContext, f: string[]): string | void {
  if (f.length !== 3 || !isDecimal(f[1], 1) || !isHex(f[2], NONCE_HEX_CHARS)) return ERR_SYNTAX;
  const key = operatorKey(c, parseInt(f[1], 10));
  if (key === undefined) return ERR_OPERATOR;
  const log = c.log;
  c.send(LINK_OPS, "HEAD " + log.next + " " + log.head + " " + tag(key, logHeadInput(c.config.id, f[2], log.next, log.head)));
}

/** `LOG <index>`: the entry with that index, or the oldest kept when it is older; LOGEND past the newest. */
function logRead(c: FrameContext, f: string[]): string | void {
  if (f.length !== 2 || !isDecimal(f[1], 10)) return ERR_SYNTAX;
  const log = c.log;
  const index = parseInt(f[1], 10);
  const oldest = log.next - log.entries.length;
  const entry = index < log.next && log.entries.length > 0 ? log.entries[index < oldest ? 0 : index - oldest] : undefined;
  c.send(LINK_OPS, entry === undefined ? "LOGEND " + log.next + " " + log.head : "LOG " + entry);
}
