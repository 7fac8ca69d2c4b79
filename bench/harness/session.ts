/**
 * The bench's side of the protocol on a target: a minimal attester (HELLO tracking, heartbeat
 * pump) and a minimal operator (challenge, signatures), plus the controller's level as its
 * frames announce it. Scenarios drive the controller through this; it never decides whether
 * the controller behaved (scenario assertions and checkers do).
 */
import { LEVEL_STANDARD } from "../../protocol/constants.ts";
import { parseControllerFrame, type ControllerFrame } from "../../protocol/controller-frames.ts";
import { authLine, heartbeatLine, type HeartbeatSpec } from "../../protocol/testing/signed-lines.ts";
import type { LinkName } from "./timeline.ts";
import type { Target } from "../targets/target.ts";

/** Heartbeat period of the bench's attester (the agent's default is 200 ms; the bench is stricter). */
export const HEARTBEAT_PERIOD_MS = 100;
/** How long a reply to one request may take: a few frames at 115200 baud plus a control cycle. */
export const REPLY_WAIT_MS = 500;
/** Challenges are rate-limited to one per second (protocol section 5). */
export const CHALLENGE_INTERVAL_MS = 1000;
/** Longer than any contact bounce (simulator: 2 ms; datasheets: 1-5 ms). */
export const CONTACT_SETTLE_MS = 20;
/** Settle waits of a path's start-up relay test, from open to closed (firmware/core/relays.ts). */
export const STARTUP_TEST_SETTLES = 6;
/**
 * Room on top of the nominal restore-to-service time for a real-time target on a busy machine
 * (each of the test's steps can run tens of ms late there) and the probe's reports.
 */
export const SERVICE_MARGIN_MS = 1000;

export interface Reply {
  frame: ControllerFrame;
  atMs: number;
}

export class Session {
  nonce: string | undefined;
  /** Last sequence number sent in this session. */
  seq = 0;
  /**
   * The level the controller last announced (HELLO, LEVEL or ACK); -1 before any. A LEVEL
   * frame goes out on both links; only the host link's counts, so that once this changes the
   * host link's frame is there to read (on real ports the ops link's can come first).
   */
  level = -1;
  /** When the last heartbeat built to be accepted reaches the controller (its deadline base). */
  lastValidArrivalMs: number | undefined;
  private stopPump: (() => void) | undefined;
  private lastChallengeMs = -Infinity;
  private readonly replies: Record<LinkName, Reply[]> = { host: [], ops: [] };

  /**
   * `burst`: heartbeats reach the firmware whole, at once (long runs, where pacing every byte
   * would cost more than it shows); `paced`: byte by byte at the line's baud (the default).
   */
  constructor(readonly target: Target, private readonly delivery: "paced" | "burst" = "paced") {
    target.onLine((link, text, atMs) => this.receive(link, text, atMs));
  }

  get config() {
    return this.target.config;
  }

  private receive(link: LinkName, text: string, atMs: number): void {
    const frame = parseControllerFrame(text);
    this.replies[link].push({ frame, atMs });
    if (frame.type === "HELLO") {
      if (frame.nonce !== this.nonce) this.seq = frame.seq;
      this.nonce = frame.nonce;
      this.level = frame.level;
    } else if ((frame.type === "LEVEL" && link === "host") || frame.type === "ACK") {
      this.level = frame.level;
    }
  }

  /** Replies received on `link` so far (a mark for nextReply). */
  mark(link: LinkName): number {
    return this.replies[link].length;
  }

  /** The first reply on `link` after `mark` that `match` accepts, waiting up to `maxMs`. */
  async nextReply(link: LinkName, mark: number, match: (frame: ControllerFrame) => boolean, maxMs = REPLY_WAIT_MS): Promise<Reply | undefined> {
    const find = (): Reply | undefined => this.replies[link].slice(mark).find((reply) => match(reply.frame));
    await this.target.waitUntil(() => find() !== undefined, maxMs);
    return find();
  }

  /** Sends SYNC and waits for HELLO. */
  async sync(link: LinkName = "host"): Promise<Reply | undefined> {
    const mark = this.mark(link);
    this.target.send(link, "SYNC\n");
    return this.nextReply(link, mark, (frame) => frame.type === "HELLO");
  }

  /** A heartbeat line for this session (the next sequence unless given), without sending it. */
  heartbeatText(spec: Partial<HeartbeatSpec> = {}): string {
    if (this.nonce === undefined && spec.nonce === undefined) throw new Error("no HELLO received yet: the session nonce is unknown (call sync() first)");
    return heartbeatLine({
      id: this.config.id, nonce: this.nonce!, seq: this.seq + 1, level: LEVEL_STANDARD,
      measurement: this.config.measurements[0], keyHex: this.config.hostKey, ...spec,
    });
  }

  /**
   * Sends a valid heartbeat (or one altered by `spec`) and advances the sequence. Returns its
   * text and when it reaches the controller (the send time where the target cannot know).
   */
  heartbeat(spec: Partial<HeartbeatSpec> = {}): { text: string; arrivesAtMs: number } {
    const text = this.heartbeatText(spec);
    const seq = spec.seq ?? this.seq + 1;
    // Built to be accepted: only the level or a fresh sequence differ from a normal heartbeat.
    const valid = seq > this.seq && Object.keys(spec).every((field) => field === "level" || field === "seq");
    this.seq = Math.max(this.seq, seq);
    const sent = this.delivery === "burst" ? this.target.burst("host", text + "\n") : this.target.send("host", text + "\n");
    this.target.timeline.add({ atMs: sent.atMs, kind: "heartbeat", seq, valid, arrivesAtMs: sent.arrivesAtMs });
    const arrivesAtMs = sent.arrivesAtMs ?? sent.atMs;
    if (valid) this.lastValidArrivalMs = arrivesAtMs;
    return { text, arrivesAtMs };
  }

  /** Starts the attester: a valid heartbeat every `periodMs` while a session nonce is known. */
  startHeartbeats(periodMs = HEARTBEAT_PERIOD_MS): void {
    this.stopHeartbeats();
    this.stopPump = this.target.every(periodMs, () => {
      if (this.nonce !== undefined) this.heartbeat();
    });
  }

  stopHeartbeats(): void {
    this.stopPump?.();
    this.stopPump = undefined;
  }

  /**
   * Asks for a challenge, waiting out the one-per-second rate limit first: with a margin of
   * 1 ms on virtual time, and on a real link of its latency, since the controller counts from
   * when each CHAL arrived and the bench only knows when it sent them.
   */
  async challenge(target: number): Promise<Reply | undefined> {
    const marginMs = Math.max(1, this.target.linkAllowanceMs);
    const waitMs = this.lastChallengeMs + CHALLENGE_INTERVAL_MS + marginMs - this.target.nowMs();
    if (waitMs > 0) await this.target.wait(waitMs);
    this.lastChallengeMs = this.target.nowMs();
    const mark = this.mark("ops");
    this.target.send("ops", `CHAL ${target}\n`);
    const reply = await this.nextReply("ops", mark, (frame) => frame.type === "CHAL" || frame.type === "ERR");
    // The controller counts from when it handled the CHAL, which a busy board does later than
    // its arrival, but never after its reply.
    if (reply !== undefined) this.lastChallengeMs = reply.atMs;
    return reply;
  }

  /** Operator `operator`'s AUTH line for a challenge (with their own key unless `keyHex`). */
  authText(nonce: string, target: number, operator: number, keyHex = this.config.operators[operator]): string {
    return authLine(this.config.id, nonce, target, operator, keyHex);
  }

  /** Sends raw bytes and waits for the first reply on that link that `match` accepts. */
  async request(link: LinkName, data: string, match: (frame: ControllerFrame) => boolean, maxMs = REPLY_WAIT_MS): Promise<Reply | undefined> {
    const mark = this.mark(link);
    this.target.send(link, data);
    return this.nextReply(link, mark, match, maxMs);
  }

  /** Sends one AUTH line and waits for its answer (AUTH or ERR). */
  async auth(text: string): Promise<Reply | undefined> {
    const mark = this.mark("ops");
    this.target.send("ops", text + "\n");
    return this.nextReply("ops", mark, (frame) => frame.type === "AUTH" || frame.type === "ERR");
  }

  /**
   * A quorum move to `level` signed by `operators`; returns the refusal, if any, so scenarios
   * can assert on it. Resolves once the controller announced the new level or refused.
   */
  async quorum(level: number, operators = [0, 1]): Promise<string | undefined> {
    const reply = await this.challenge(level);
    if (reply === undefined) return "no answer to CHAL";
    if (reply.frame.type !== "CHAL") return reply.frame.type === "ERR" ? `ERR ${reply.frame.code}` : "unexpected reply";
    const nonce = reply.frame.nonce;
    let mark = this.mark("ops");
    for (const operator of operators) {
      mark = this.mark("ops");
      const answer = await this.auth(this.authText(nonce, level, operator));
      if (answer === undefined) return "no answer to AUTH";
      if (answer.frame.type === "ERR") return `ERR ${answer.frame.code}`;
    }
    // The last AUTH is followed by the LEVEL change, or by a refusal (ERR ARM, ERR LEVEL).
    const outcome = await this.nextReply("ops", mark, (frame) => frame.type === "LEVEL" || frame.type === "ERR");
    if (outcome?.frame.type === "ERR") return `ERR ${outcome.frame.code}`;
    await this.target.waitUntil(() => this.level === level, REPLY_WAIT_MS);
    return this.level === level ? undefined : `level stayed ${this.level}`;
  }

  /** True once every network and power path conducts. */
  serviceUp(): boolean {
    const paths = this.target.paths();
    return this.target.pathKinds.every((kind, path) => (kind !== "network" && kind !== "power") || paths[path]);
  }

  /**
   * The one bound from a completed restore to standard, heartbeats flowing, until every network
   * and power path conducts: the next heartbeat, the start-up relay test (STARTUP_TEST_SETTLES
   * settle waits of the configuration's relaySettleMs), the link allowance and SERVICE_MARGIN_MS.
   */
  serviceWithinMs(): number {
    return HEARTBEAT_PERIOD_MS + STARTUP_TEST_SETTLES * this.config.relaySettleMs + this.target.linkAllowanceMs + SERVICE_MARGIN_MS;
  }

  /**
   * Waits until every network and power path conducts (at most serviceWithinMs()), then until
   * their contacts rest (CONTACT_SETTLE_MS), and says whether they all conduct then. Judging at
   * the first closing would judge a bounce: on a serial target the probe's reports of one
   * bounce arrive together, and the last of them may come after the first closed the paths.
   */
  async awaitService(maxMs = this.serviceWithinMs()): Promise<boolean> {
    if (!(await this.target.waitUntil(() => this.serviceUp(), maxMs))) return false;
    await this.target.wait(CONTACT_SETTLE_MS);
    return this.serviceUp();
  }

  /**
   * From boot to service: HELLO, a quorum restore to standard, heartbeats flowing and every
   * network and power path closed after its relay test. Throws naming the step that failed.
   */
  async bringUp(): Promise<void> {
    if (this.nonce === undefined && (await this.sync()) === undefined) throw new Error("bring-up: no HELLO answer to SYNC on the host link");
    const refused = this.level === LEVEL_STANDARD ? undefined : await this.quorum(LEVEL_STANDARD);
    if (refused !== undefined) throw new Error(`bring-up: quorum restore to standard failed: ${refused}`);
    this.startHeartbeats();
    if (!(await this.awaitService())) {
      const cause = this.target.timeline.received("host").filter((text) => text.startsWith("LEVEL ")).at(-1);
      throw new Error(`bring-up: paths did not close and rest within ${this.serviceWithinMs()} ms of restoring (paths ${this.target.paths().join(",")}, level ${this.level}, last "${cause}")`);
    }
  }
}
