/**
 * The protocol fuzzer: random and mutated frames into both links of the simulated board, in
 * virtual time, in epochs. Each epoch restores the controller with a genuine quorum, keeps
 * valid heartbeats flowing, sends its frames, lets the controller fall silent, and then hands
 * the recording to the same checkers the scenarios use (no lowering without a valid quorum,
 * paths follow the level and fresh heartbeats, no crash, no unprovoked watchdog reset). At the
 * end the controller must still accept a valid heartbeat after a quorum restore. Everything
 * is drawn from the seed: the same seed and frame count replay the same run.
 */
import { Rng } from "../../simulator/rng.ts";
import { runCheckers } from "../checkers/index.ts";
import { benchConfig } from "../harness/config.ts";
import { CHALLENGE_INTERVAL_MS, Session } from "../harness/session.ts";
import type { LinkName } from "../harness/timeline.ts";
import { SimTarget } from "../targets/sim-target.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import { baseFrame, type FuzzState } from "./base-frames.ts";
import { mutate } from "./mutations.ts";

export const FRAMES_PER_EPOCH = 100;
/** Burst delivery puts at most this many bytes into the 256-byte receive buffer at once. */
const CHUNK_BYTES = 128;
const EXAMPLES_KEPT = 3;
/**
 * Replies can queue for minutes: a 9-byte LOG request gets a 60-byte answer, so a frame of
 * duplicated requests keeps the link busy about 7 times its own wire time.
 */
const REPLY_DRAIN_MS_MAX = 600_000;
/** A fuzzed frame is cut to this (chained duplications would otherwise reach megabytes). */
export const FRAME_TEXT_BYTES_MAX = 4096;

export interface FuzzOptions {
  boardId: string;
  bundlePath: string;
  seed: number;
  frames: number;
  /** "burst": each frame reaches the firmware whole at its arrival time; "paced": byte by byte. */
  delivery: "burst" | "paced";
  log: (line: string) => void;
}

export interface Finding {
  kind: string;
  count: number;
  examples: { epoch: number; message: string; lastFrames: string[] }[];
}

export interface FuzzResult {
  seed: number;
  frames: number;
  epochs: number;
  delivery: string;
  wallSeconds: number;
  virtualHours: number;
  tried: { mutations: Record<string, number>; bases: Record<string, number>; links: Record<string, number>; replies: Record<string, number>; levelsSeen: Record<string, number> };
  findings: Finding[];
  finalHeartbeatAccepted: boolean;
}

function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class Fuzzer {
  readonly target: SimTarget;
  readonly session: Session;
  readonly rng: Rng;
  readonly state: FuzzState;
  readonly findings = new Map<string, Finding>();
  readonly tried: FuzzResult["tried"] = { mutations: {}, bases: {}, links: {}, replies: {}, levelsSeen: {} };
  /** This epoch's frames with their send times, to show what preceded a finding. */
  sent: { atMs: number; text: string }[] = [];
  epoch = 0;

  constructor(private readonly options: FuzzOptions) {
    const config = benchConfig(options.seed, options.boardId);
    this.target = new SimTarget({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config, cpuModel: false });
    this.session = new Session(this.target, options.delivery === "burst" ? "burst" : "paced");
    this.rng = new Rng(options.seed).derive("fuzz");
    this.state = { config, nonce: "", seq: 0, challenge: undefined };
    this.target.onLine((link, text) => this.reply(link, text));
  }

  private reply(link: LinkName, text: string): void {
    const f = text.split(" ");
    tally(this.tried.replies, f[0] === "ERR" ? text : f[0]);
    if (f[0] === "LEVEL") tally(this.tried.levelsSeen, `${f[1]} ${f[2]}`);
    if (link === "ops" && f[0] === "CHAL" && f.length === 5) this.state.challenge = { nonce: f[1], target: Number(f[2]) };
  }

  /**
   * Records a finding with the frames sent just before it: before the time the message names,
   * or, for a watchdog reset, before the halt a watchdog timeout earlier.
   */
  find(kind: string, message: string): void {
    const finding = this.findings.get(kind) ?? { kind, count: 0, examples: [] };
    finding.count++;
    const named = /at (\d+(?:\.\d+)?) ms/.exec(message);
    const atMs = named === null ? Infinity : Number(named[1]);
    // A watchdog reset comes its timeout after the last kick: the culprit came within the cycle after it.
    const kickMs = /watchdog/.test(message) ? atMs - this.target.watchdogMs : undefined;
    const shown = kickMs === undefined ? this.sent.filter((frame) => frame.atMs <= atMs).slice(-4) : this.sent.filter((frame) => frame.atMs >= kickMs && frame.atMs <= kickMs + this.state.config.cycleMs).slice(0, 6);
    const lastFrames = shown.map((frame) => `${frame.atMs.toFixed(3)} ms ${frame.text}`);
    if (finding.examples.length < EXAMPLES_KEPT) finding.examples.push({ epoch: this.epoch, message, lastFrames });
    this.findings.set(kind, finding);
  }

  /** Puts `data` on `link` as configured, and lets the wire time pass. */
  async deliver(link: LinkName, data: string): Promise<void> {
    this.sent.push({ atMs: this.target.nowMs(), text: JSON.stringify(`${link}: ${data}`).slice(0, 300) });
    const wireMs = data.length * byteTimeMs(115200);
    if (this.options.delivery === "paced") {
      this.target.send(link, data);
      return this.target.wait(wireMs);
    }
    for (let at = 0; at < data.length; at += CHUNK_BYTES) {
      this.target.burst(link, data.slice(at, at + CHUNK_BYTES));
      await this.target.wait(0);
    }
    await this.target.wait(wireMs);
  }

  /** A genuine quorum restore and heartbeats until the paths close. Returns false (a finding) when that fails. */
  async restore(): Promise<boolean> {
    // A fuzzed frame may have left half a line behind: one LF resynchronises (protocol section 2).
    for (const link of ["host", "ops"] as const) this.target.send(link, "\n");
    // A fuzzed CHAL may have been the last second's one challenge (ERR RATE otherwise), and
    // replies to duplicated requests may still be queued ahead of the answers awaited here.
    await this.target.wait(CHALLENGE_INTERVAL_MS);
    await this.target.waitUntil(() => this.target.repliesDrained(), REPLY_DRAIN_MS_MAX);
    this.session.nonce = undefined;
    const hello = await this.session.sync();
    if (hello === undefined) {
      await this.target.wait(2000);
      if ((await this.session.sync()) === undefined) return this.find("liveness", "no HELLO answer to SYNC, twice, 2 s apart"), false;
    }
    this.state.nonce = this.session.nonce!;
    this.session.seq = Math.max(this.session.seq, this.state.seq);
    try {
      await this.session.bringUp();
    } catch (error) {
      const recent = (link: LinkName): string => JSON.stringify(this.target.timeline.received(link).slice(-3));
      this.find("liveness", `${(error as Error).message} at ${this.target.nowMs().toFixed(3)} ms (last on host: ${recent("host")}, on ops: ${recent("ops")})`);
      return false;
    }
    return true;
  }

  async fuzzFrames(count: number): Promise<void> {
    for (let index = 0; index < count; index++) {
      this.state.seq = Math.max(this.state.seq, this.session.seq);
      const base = baseFrame(this.state, this.rng);
      this.session.seq = Math.max(this.session.seq, this.state.seq);
      const mutated = this.rng.chance(0.9) ? mutate(base.line, this.rng) : { text: base.line, applied: ["none"] };
      const text = mutated.text.slice(0, FRAME_TEXT_BYTES_MAX);
      const applied = mutated.applied;
      tally(this.tried.bases, base.kind);
      tally(this.tried.links, base.link);
      for (const name of applied) tally(this.tried.mutations, name);
      await this.deliver(base.link, text + (applied.includes("no-newline") ? "" : "\n"));
      if (this.rng.chance(0.03)) await this.target.wait(this.rng.int(1500));
    }
  }

  async runEpoch(frames: number): Promise<void> {
    this.target.timeline.clear();
    this.sent = [];
    const up = await this.restore();
    if (up) await this.fuzzFrames(frames);
    this.session.stopHeartbeats();
    await this.target.wait(this.state.config.deadlineMs[2] + 200);
    // Judge only once every reply has come out: an ACK still queued behind HELLOs is evidence.
    await this.target.waitUntil(() => this.target.repliesDrained(), REPLY_DRAIN_MS_MAX);
    const violations = runCheckers({
      timeline: this.target.timeline, config: this.state.config, pathKinds: this.target.pathKinds, capabilities: this.target.capabilities,
      fresh: false, snapshot: this.target.snapshot(), linkDevices: ["Serial1", "Serial2"], endMs: this.target.nowMs(),
    });
    for (const violation of violations) this.find(violation.slice(1, violation.indexOf(",")), violation);
  }

  /** After everything: a quorum restore, then a valid heartbeat must be ACKed. */
  async finalCheck(): Promise<boolean> {
    if (!(await this.restore())) return false;
    const ack = await this.session.request("host", this.session.heartbeatText() + "\n", (frame) => frame.type === "ACK", 1000);
    this.session.stopHeartbeats();
    return ack !== undefined;
  }
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const fuzzer = new Fuzzer(options);
  const startMs = fuzzer.target.nowMs();
  let sent = 0;
  while (sent < options.frames) {
    const frames = Math.min(FRAMES_PER_EPOCH, options.frames - sent);
    await fuzzer.runEpoch(frames);
    sent += frames;
    fuzzer.epoch++;
    if (fuzzer.epoch % 500 === 0) options.log(`fuzz: ${sent}/${options.frames} frames, ${fuzzer.findings.size} kinds of finding, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const finalHeartbeatAccepted = await fuzzer.finalCheck();
  if (!finalHeartbeatAccepted) fuzzer.find("liveness", "after the run, a valid heartbeat was not ACKed after a quorum restore");
  await fuzzer.target.close();
  return {
    seed: options.seed, frames: sent, epochs: fuzzer.epoch, delivery: options.delivery,
    wallSeconds: (performance.now() - started) / 1000, virtualHours: (fuzzer.target.nowMs() - startMs) / 3_600_000,
    tried: fuzzer.tried, findings: [...fuzzer.findings.values()], finalHeartbeatAccepted,
  };
}
