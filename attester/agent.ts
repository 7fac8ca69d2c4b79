/**
 * The attester: heartbeats on a fixed period over a self-healing host link, a background
 * re-measurement, hypervisor requests from the local socket, and systemd notifications.
 *
 * The heartbeat path is one timer, one HMAC and one write: it never waits for measurement,
 * the request socket, the journal or MQTT, so none of those failing can delay it.
 */
import { LEVEL_NAMES } from "../protocol/constants.ts";
import { HmacKey } from "../protocol/hmac.ts";
import { fromHex } from "../protocol/hex.ts";
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import type { Cancel, Timers } from "../kit/timers.ts";
import type { Link } from "../kit/transport/link.ts";
import { ReconnectingLink } from "../kit/transport/reconnect.ts";
import type { LinkState } from "../kit/transport/reconnect.ts";
import type { AgentConfig } from "./config.ts";
import type { Measurement } from "./measure.ts";
import type { Notifier } from "./sd-notify.ts";
import type { RequestResult } from "./request-server.ts";
import { AttesterSession } from "./session.ts";
import type { SessionReport } from "./session.ts";

export interface AgentDeps {
  timers: Timers;
  openLink: () => Promise<Link>;
  measure: () => Promise<Measurement>;
  log: (line: string) => void;
  notifier?: Notifier;
  /** Period of WATCHDOG=1 pings, half of systemd's WatchdogSec; undefined for none. */
  watchdogPingMs?: number;
}

const SYNC_RETRY_MS = 1000;
/** Heartbeat periods a request may wait for its ACK before the requester hears "not confirmed". */
const REQUEST_CONFIRM_PERIODS = 10;
const REQUEST_CONFIRM_MIN_MS = 3000;
/** A line of a kind logged within this time is not logged again (a refused heartbeat repeats per period). */
const REPEAT_LOG_MS = 10000;

interface Waiter {
  level: number;
  resolve: (result: RequestResult) => void;
}

export class Agent {
  readonly session: AttesterSession;
  measurement: Measurement | undefined;
  private readonly link: ReconnectingLink;
  private readonly cancels: Cancel[] = [];
  private waiters: Waiter[] = [];
  private statusText = "";
  private lastWatchdogMs = -Infinity;
  private measuring = false;
  /** When each kind of repeating line was last logged (see logLimited). */
  private recentReports = new Map<string, number>();
  private linkState: LinkState = { state: "connecting", attempt: 0 };

  constructor(private readonly config: AgentConfig, hostKeyHex: string, private readonly deps: AgentDeps) {
    const key = new HmacKey(fromHex(hostKeyHex));
    this.session = new AttesterSession({ id: config.controllerId, key, syncRetryMs: SYNC_RETRY_MS });
    this.link = new ReconnectingLink({
      open: deps.openLink,
      timers: deps.timers,
      onLine: (text) => this.onLine(text),
      onState: (state) => this.onLinkState(state),
    });
  }

  /** Measures once (heartbeats need a digest), then starts the link and the timers. */
  async start(): Promise<void> {
    await this.remeasure();
    this.link.start();
    const { timers } = this.deps;
    this.cancels.push(timers.every(this.config.heartbeatPeriodMs, () => this.tick()));
    this.cancels.push(timers.every(this.config.measureEveryMs, () => void this.remeasure()));
    this.deps.notifier?.send("READY=1");
  }

  async stop(): Promise<void> {
    for (const cancel of this.cancels) cancel();
    this.deps.notifier?.send("STOPPING=1");
    for (const waiter of this.waiters) waiter.resolve({ ok: false, error: "the agent is stopping" });
    this.waiters = [];
    await this.link.stop();
  }

  /** Carries `level` in the coming heartbeats; resolves once an ACK shows the controller there. */
  request(level: number, reason: string): Promise<RequestResult> {
    this.deps.log(`hypervisor asks for ${LEVEL_NAMES[level]} (${level}): ${reason || "no reason given"}`);
    this.session.request(level);
    const waitMs = Math.max(REQUEST_CONFIRM_MIN_MS, REQUEST_CONFIRM_PERIODS * this.config.heartbeatPeriodMs);
    return new Promise((resolve) => {
      const cancel = this.deps.timers.after(waitMs, () => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve({ ok: false, error: `not confirmed by the controller within ${waitMs} ms (${this.describe()}); the request stays pending and every heartbeat carries it` });
      });
      const waiter: Waiter = {
        level,
        resolve: (result) => {
          cancel();
          resolve(result);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private tick(): void {
    const now = this.deps.timers.nowMs();
    if (this.link.isUp && this.measurement !== undefined) {
      const { send, reports } = this.session.tick(now, this.measurement.digest);
      for (const line of send) this.link.writeLine(line);
      for (const report of reports) this.onReport(report);
    }
    // Pinged from the heartbeat timer, so a wedged heartbeat loop stops the pings too.
    if (this.deps.watchdogPingMs !== undefined && now - this.lastWatchdogMs >= this.deps.watchdogPingMs) {
      this.lastWatchdogMs = now;
      this.deps.notifier?.send("WATCHDOG=1");
    }
    this.updateStatus();
  }

  private onLine(text: string): void {
    const frame = parseControllerFrame(text);
    if (frame.type === "invalid") {
      this.logLimited("ignored", `ignored a line from the controller: ${frame.reason}`);
      return;
    }
    const { send, reports } = this.session.receive(frame, this.deps.timers.nowMs());
    for (const line of send) this.link.writeLine(line);
    for (const report of reports) this.onReport(report);
  }

  private onLinkState(state: LinkState): void {
    this.linkState = state;
    if (state.state === "up") {
      this.deps.log(`host link ${this.config.port} open`);
      for (const line of this.session.linkUp(this.deps.timers.nowMs())) this.link.writeLine(line);
    } else if (state.state === "down") {
      this.session.linkDown();
      this.logLimited(`down ${state.reason}`, `host link ${this.config.port} down: ${state.reason}; retrying in ${state.retryInMs} ms`);
    }
    this.updateStatus();
  }

  private onReport(report: SessionReport): void {
    if (report.kind === "ack") {
      const confirmed = this.waiters.filter((waiter) => report.level >= waiter.level);
      this.waiters = this.waiters.filter((waiter) => report.level < waiter.level);
      for (const waiter of confirmed) waiter.resolve({ ok: true, controllerLevel: report.level });
      return;
    }
    const text = describeReport(report, this.config.controllerId);
    this.logLimited(text, text);
  }

  /**
   * Logs `text` unless a line of the same `kind` was logged within REPEAT_LOG_MS: a refusal
   * repeating every heartbeat, a port that stays missing while the link retries, or a flood of
   * garbage from the controller must not flood the journal.
   */
  private logLimited(kind: string, text: string): void {
    const now = this.deps.timers.nowMs();
    for (const [seen, atMs] of this.recentReports) if (now - atMs >= REPEAT_LOG_MS) this.recentReports.delete(seen);
    if (this.recentReports.has(kind)) return;
    this.recentReports.set(kind, now);
    this.deps.log(text);
  }

  private async remeasure(): Promise<void> {
    if (this.measuring) return;
    this.measuring = true;
    try {
      const next = await this.deps.measure();
      if (next.digest !== this.measurement?.digest) {
        this.deps.log(`measurement ${next.digest} (${next.records.length} sources)`);
      }
      this.measurement = next;
    } finally {
      this.measuring = false;
    }
  }

  /** One line on the link and controller, for STATUS= and request answers. */
  describe(): string {
    if (this.linkState.state === "connecting") return `opening ${this.config.port}`;
    if (this.linkState.state === "down") return `host link down: ${this.linkState.reason}`;
    if (!this.session.synced) return "waiting for HELLO";
    const level = this.session.controllerLevel ?? 0;
    return `controller ${this.config.controllerId} at ${LEVEL_NAMES[level]}`;
  }

  private updateStatus(): void {
    const text = this.describe();
    if (text === this.statusText) return;
    this.statusText = text;
    this.deps.notifier?.send("STATUS=" + text);
  }
}

function describeReport(report: Exclude<SessionReport, { kind: "ack" }>, expectedId: string): string {
  switch (report.kind) {
    case "synced":
      return `session ${report.nonce} with firmware ${report.firmware}: controller at ${LEVEL_NAMES[report.level]}, continuing after seq ${report.seq}`;
    case "wrong-controller":
      return `the controller on this port is "${report.id}", not "${expectedId}": no heartbeats sent; check port and controllerId`;
    case "unsupported-version":
      return `the controller speaks protocol version ${report.version}; this agent speaks 1: no heartbeats sent`;
    case "level":
      return `controller level now ${LEVEL_NAMES[report.level]} (${report.level}), cause ${report.cause}`;
    case "refused":
      return `controller refused a frame: ERR ${report.code}`;
    case "sequence-exhausted":
      return "heartbeat sequence exhausted (4294967295): the controller must be rebooted for a new session";
  }
}
