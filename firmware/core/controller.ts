/**
 * The fail-safe controller: events in, actions out. No clock, no pin, no I/O: the board layer
 * passes time and readings in, then drives `relays.coils`, writes `writes` and sends `outbox`.
 * Every path that could change the level goes through raise() (up only) or the quorum branch
 * of applyAuth() (the one way down).
 */
import {
  CAUSE_BOOT, CAUSE_CONFIG, CAUSE_DEADLINE, CAUSE_ERRORFLAG, CAUSE_ESTOP, CAUSE_EXCEPTION, CAUSE_TAMPER,
  LEVEL_DECAPITATION, LEVEL_IMMOLATION, LEVEL_MAX, LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED,
  LINK_HOST, LINK_OPS, NONCE_HEX_CHARS, PROTOCOL_VERSION, CAUSE_RELAY,
} from "../../protocol/constants.ts";
import { asciiBytes, fromHex } from "../../protocol/hex.ts";
import { HmacKey, tag, type Sha256 } from "../../protocol/hmac.ts";
import { LineReader } from "../../protocol/lines.ts";
import { assert } from "./assert.ts";
import { Challenge } from "./challenge.ts";
import { decodeConfigFile, defaultConfigFields, type ControllerConfig } from "./config.ts";
import { EventLog } from "./event-log.ts";
import { handleLine } from "./frames.ts";
import { INPUT_ESTOP, INPUT_MAINTENANCE, INPUT_TAMPER, KIND_DECAPITATION, KIND_IMMOLATION, KIND_NETWORK, KIND_POWER } from "./inputs.ts";
import { OUTBOX_LEVEL_FRAMES_MAX, OUTBOX_MAX, REPLY_BYTES_PER_SECOND_MAX, WATCHDOG_MS } from "./limits.ts";
import { chooseState, encodeState, STATE_FILES } from "./persist.ts";
import { RelaySupervisor, STAGE_OPEN, STAGE_PULSED } from "./relays.ts";

/** Interpreter error flags that mean the controller can no longer be trusted to keep up. */
const FATAL_FLAGS = ["LOW_MEMORY", "MEMORY", "UART_OVERFLOW", "FIFO_FULL", "BUFFER_FULL", "CALLBACK"];

export interface BootInput {
  /** Contents of the configuration file, undefined when absent. */
  configFile: string | undefined;
  /** Contents of the two state slots. */
  stateSlots: (string | undefined)[];
  /** Hardware randomness, any text (mixed through SHA-256 with the persisted seed). */
  entropy: string;
  /** INPUT_* bits at boot; the maintenance strap is read here only. */
  inputs: number;
  nowMs: number;
}

export interface Send { link: number; text: string }

/** Modes of Controller.send(); no mode means a reply under every cap. */
export const SEND_ALWAYS = 1;
export const SEND_EARNED = 2;
export interface FileWrite { name: string; data: string }

export class Controller {
  sha256: Sha256;
  firmwareVersion: string;
  pathKinds: number[];
  relays: RelaySupervisor;
  // Actions, drained by the board layer after every call.
  outbox: Send[] = [];
  writes: FileWrite[] = [];
  wakeAtMs = Infinity;
  // Configuration.
  config: ControllerConfig;
  provisioned = false;
  hostKey: HmacKey | undefined;
  operatorKeys: HmacKey[] = [];
  // Level.
  level = LEVEL_OFFLINE;
  cause = CAUSE_BOOT;
  maintenance = false;
  /** Actuator paths whose pulse is due (bit per path). */
  pulsePending = 0;
  // Session.
  bootMs = 0;
  boot = 0;
  write = 0;
  seed = "";
  drbg: HmacKey | undefined;
  nonceCount = 0;
  sessionNonce = "";
  lastSeq = 0;
  lastHeartbeatMs = -1;
  lastLowerMs = 0;
  inputs = 0;
  // Frames.
  readers: LineReader[] = [new LineReader(LINK_HOST), new LineReader(LINK_OPS)];
  rejectWindowMs = [0, 0];
  rejectCount = [0, 0];
  errorWindowMs = [0, 0];
  errorCount = [0, 0];
  replyWindowMs = [0, 0];
  replyBytes = [0, 0];
  challenge = new Challenge();
  lastChallengeMs = -Infinity;
  lastStatusPushMs = 0;
  log = new EventLog();

  /** The board's real watchdog timeout: no heartbeat deadline may be shorter. */
  watchdogMs: number;

  constructor(pathKinds: number[], firmwareVersion: string, sha256: Sha256, watchdogMs: number = WATCHDOG_MS) {
    this.pathKinds = pathKinds;
    this.watchdogMs = watchdogMs;
    this.firmwareVersion = firmwareVersion;
    this.sha256 = sha256;
    this.relays = new RelaySupervisor(pathKinds.length, 0);
    this.config = defaultConfigFields() as unknown as ControllerConfig;
  }

  /** Starts a boot: reads configuration and state, draws the session nonce, says HELLO. */
  start(input: BootInput): void {
    this.bootMs = input.nowMs;
    this.nowMs = input.nowMs;
    this.lastLowerMs = input.nowMs;
    this.relays = new RelaySupervisor(this.pathKinds.length, input.nowMs);
    this.inputs = input.inputs;
    this.maintenance = (input.inputs & INPUT_MAINTENANCE) !== 0;
    const chosen = chooseState(input.stateSlots, this.sha256);
    const state = chosen.state;
    if (state !== undefined) {
      this.level = state.level;
      this.cause = chosen.damaged ? state.cause : CAUSE_BOOT;
      this.boot = state.boot + 1;
      this.write = state.write + 1;
      this.seed = state.seed;
      this.log = state.log;
    } else {
      // A fresh controller, or both slots lost: offline either way.
      this.level = LEVEL_OFFLINE;
      this.cause = chosen.damaged ? "state" : CAUSE_BOOT;
      this.seed = "00000000000000000000000000000000";
    }
    this.drbg = new HmacKey(this.sha256(asciiBytes(this.seed + "|" + this.boot + "|" + input.entropy)), this.sha256);
    this.sessionNonce = this.nextNonce("session");
    this.seed = this.nextNonce("seed");
    this.loadConfig(input.configFile);
    this.log.append(this.boot, 0, this.cause, this.level, this.sha256);
    this.persist();
    this.hello(LINK_HOST);
    this.hello(LINK_OPS);
    this.scheduleWake(input.nowMs);
  }

  /** Reads the configuration; a missing or corrupt one leaves the controller offline. */
  loadConfig(configFile: string | undefined): void {
    const result = decodeConfigFile(configFile, this.sha256);
    // A hung interpreter keeps its outputs until the watchdog bites: a shorter deadline could not be kept.
    const deadlines = result.config === undefined ? [] : result.config.deadlineMs;
    for (let i = 0; i < deadlines.length; i++) if (deadlines[i] < this.watchdogMs) result.config = undefined;
    if (result.config === undefined) {
      if (this.level < LEVEL_OFFLINE) this.level = LEVEL_OFFLINE;
      this.cause = CAUSE_CONFIG;
      return;
    }
    const c = result.config;
    this.config = c;
    this.provisioned = true;
    this.hostKey = new HmacKey(fromHex(c.hostKey), this.sha256);
    for (let i = 0; i < c.operators.length; i++) this.operatorKeys.push(new HmacKey(fromHex(c.operators[i]), this.sha256));
  }

  /** A fresh 32-hex nonce from the boot-seeded generator. */
  nextNonce(purpose: string): string {
    assert(this.drbg !== undefined, "generator seeded before use");
    this.nonceCount++;
    return tag(this.drbg as HmacKey, purpose + "|" + this.nonceCount, this.sha256).substring(0, NONCE_HEX_CHARS);
  }

  /** Bytes arrived on a link. */
  receive(link: number, chunk: string, nowMs: number): void {
    assert(link === LINK_HOST || link === LINK_OPS, "known link");
    this.nowMs = nowMs;
    // A heartbeat that arrives after the deadline, before the wake-up ran, rescues nothing.
    this.checkDeadline(nowMs);
    this.readers[link].feed(chunk, this);
    this.scheduleWake(nowMs);
  }

  /** Time of the event being handled, for the LineSink callback. */
  nowMs = 0;

  /** LineSink: one complete line. */
  onLine(link: number, text: string, status: number): void {
    handleLine(this, link, text, status, this.nowMs);
  }

  /**
   * The control cycle (and any input edge): inputs, error flags, deadlines, relay supervision.
   * Returns true when the cycle completed, the condition for kicking the watchdog.
   */
  tick(nowMs: number, feedback: number, inputs: number, errorFlags: string[]): boolean {
    this.nowMs = nowMs;
    this.inputs = inputs;
    if (inputs & INPUT_ESTOP) this.trigger(CAUSE_ESTOP, nowMs);
    if (inputs & INPUT_TAMPER) this.trigger(CAUSE_TAMPER, nowMs);
    for (let i = 0; i < errorFlags.length; i++) {
      if (FATAL_FLAGS.indexOf(errorFlags[i]) >= 0) this.trigger(CAUSE_ERRORFLAG, nowMs);
    }
    this.checkDeadline(nowMs);
    const bad = this.relays.update(this.wantedPaths(nowMs), feedback, nowMs, this.config.relaySettleMs, this.config.pulseMs, this.actuatorMask());
    if (bad !== 0) this.trigger(CAUSE_RELAY, nowMs);
    this.pulsePending &= ~this.pulsedMask();
    if (this.level === LEVEL_PROBATION && nowMs - this.lastStatusPushMs >= 1000) {
      this.lastStatusPushMs = nowMs;
      this.send(LINK_OPS, this.status(nowMs));
    }
    this.scheduleWake(nowMs);
    return true;
  }

  /** An exception escaped a handler: cut everything, then raise by policy. */
  exception(nowMs: number): void {
    this.relays.openAll(nowMs);
    this.trigger(CAUSE_EXCEPTION, nowMs);
  }

  /** Raises the level on a silent host: the deadline of the current level has passed. */
  checkDeadline(nowMs: number): void {
    if (this.level > LEVEL_SEVERED) return;
    const base = Math.max(this.lastHeartbeatMs, this.lastLowerMs, this.bootMs);
    if (nowMs - base >= this.config.deadlineMs[this.level]) {
      this.raise(this.level === LEVEL_SEVERED ? LEVEL_OFFLINE : LEVEL_SEVERED, CAUSE_DEADLINE, nowMs);
      // Severed has its own, longer deadline from the same last heartbeat.
      if (this.level === LEVEL_SEVERED) this.checkDeadline(nowMs);
    }
  }

  /** True while a heartbeat of this session, newer than the last lowering, is within the deadline. */
  heartbeatFresh(nowMs: number): boolean {
    if (this.lastHeartbeatMs < 0 || this.lastHeartbeatMs < this.lastLowerMs) return false;
    return nowMs - this.lastHeartbeatMs < this.config.deadlineMs[Math.min(this.level, LEVEL_SEVERED)];
  }

  /** Bit per path that should conduct now (or pulse, for actuators). */
  wantedPaths(nowMs: number): number {
    const closable = this.provisioned && !this.maintenance && this.heartbeatFresh(nowMs);
    let wanted = 0;
    for (let p = 0; p < this.pathKinds.length; p++) {
      const kind = this.pathKinds[p];
      let want = false;
      if (kind === KIND_NETWORK) want = closable && this.level <= LEVEL_PROBATION;
      else if (kind === KIND_POWER) want = closable && this.level <= LEVEL_SEVERED;
      else want = !this.maintenance && ((this.pulsePending >> p) & 1) === 1;
      if (want) wanted |= 1 << p;
    }
    return wanted;
  }

  /** Bit per actuator path (decapitation, immolation). */
  actuatorMask(): number {
    let mask = 0;
    for (let p = 0; p < this.pathKinds.length; p++) if (this.pathKinds[p] >= KIND_DECAPITATION) mask |= 1 << p;
    return mask;
  }

  /** Bit per path that has delivered its pulse. */
  pulsedMask(): number {
    let mask = 0;
    for (let p = 0; p < this.pathKinds.length; p++) if (this.relays.stages[p] === STAGE_PULSED) mask |= 1 << p;
    return mask;
  }

  /** A policy trigger fired: raise to the level the policy gives it. */
  trigger(cause: string, nowMs: number): void {
    const level = this.config.policy[cause];
    // A missing policy entry is a bug; offline is the answer that cannot be wrong.
    this.raise(level === undefined ? LEVEL_OFFLINE : level, cause, nowMs);
  }

  /** Raises the level; never lowers it. */
  raise(level: number, cause: string, nowMs: number): void {
    if (level > this.level) this.setLevel(Math.min(level, LEVEL_MAX), cause, nowMs);
  }

  /** The one place the level changes: opens what must open at once, logs, persists, tells. */
  setLevel(level: number, cause: string, nowMs: number): void {
    assert(level >= 0 && level <= LEVEL_MAX && level !== this.level, "a real level change");
    assert(this.level < LEVEL_DECAPITATION || level > this.level, "irreversible levels never lower");
    const previous = this.level;
    this.level = level;
    this.cause = cause;
    this.challenge.close();
    if (level < previous) this.lastLowerMs = nowMs;
    for (let p = 0; p < this.pathKinds.length; p++) {
      const kind = this.pathKinds[p];
      const pulseLevel = kind === KIND_DECAPITATION ? LEVEL_DECAPITATION : kind === KIND_IMMOLATION ? LEVEL_IMMOLATION : -1;
      if (pulseLevel > previous && pulseLevel <= level) this.pulsePending |= 1 << p;
    }
    // Paths the new level forbids open now, not at the next cycle.
    const wanted = this.wantedPaths(nowMs);
    for (let p = 0; p < this.pathKinds.length; p++) {
      if (((wanted >> p) & 1) === 0 && this.relays.stages[p] !== STAGE_PULSED) this.relays.enter(p, STAGE_OPEN, nowMs);
    }
    this.log.append(this.boot, this.uptimeS(nowMs), cause, level, this.sha256);
    this.persist();
    this.send(LINK_HOST, "LEVEL " + level + " " + cause, SEND_ALWAYS);
    this.send(LINK_OPS, "LEVEL " + level + " " + cause, SEND_ALWAYS);
  }

  /**
   * Queues the state for the next free slot. Maintenance mode latches nothing: its outputs
   * stay open whatever the level, and provisioning must find the slots as it left them.
   */
  persist(): void {
    if (this.maintenance) return;
    const text = encodeState({ write: this.write, level: this.level, cause: this.cause, boot: this.boot, seed: this.seed, log: this.log }, this.sha256);
    this.writes.push({ name: STATE_FILES[this.write % 2], data: text });
    this.write++;
  }

  /**
   * Queues a frame. LEVEL announcements (SEND_ALWAYS) always go out. Other replies stop at
   * OUTBOX_MAX per call, since a peer may ask for any number at once; replies to requests that
   * cost the peer nothing also stop at REPLY_BYTES_PER_SECOND_MAX, while ACKs (SEND_EARNED)
   * are paid for by a valid MAC and a fresh sequence, so the host's own rate bounds them.
   */
  send(link: number, text: string, mode?: number): void {
    if (mode !== SEND_ALWAYS && this.outbox.length >= OUTBOX_MAX) return;
    if (mode === undefined) {
      if (this.nowMs - this.replyWindowMs[link] >= 1000) {
        this.replyWindowMs[link] = this.nowMs;
        this.replyBytes[link] = 0;
      }
      if (this.replyBytes[link] + text.length + 1 > REPLY_BYTES_PER_SECOND_MAX) return;
      this.replyBytes[link] += text.length + 1;
    }
    assert(this.outbox.length < OUTBOX_MAX + OUTBOX_LEVEL_FRAMES_MAX, "outbox within its cap");
    this.outbox.push({ link: link, text: text + "\n" });
  }

  hello(link: number): void {
    const id = this.provisioned ? this.config.id : "unprovisioned";
    this.send(link, "HELLO " + PROTOCOL_VERSION + " " + id + " " + this.firmwareVersion + " " + this.sessionNonce + " " + this.level + " " + this.lastSeq);
  }

  status(nowMs: number): string {
    const i = this.inputs;
    const inputs = "" + (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1);
    const age = this.lastHeartbeatMs < 0 ? "-" : "" + Math.floor(nowMs - this.lastHeartbeatMs);
    return "STATUS " + this.level + " " + this.cause + " " + this.relays.describe() + " " + inputs + " " + age + " " + this.lastSeq + " " + this.uptimeS(nowMs) + " " + this.log.next;
  }

  uptimeS(nowMs: number): number {
    return Math.floor((nowMs - this.bootMs) / 1000);
  }

  /** When the board must call tick() next at the latest (besides its regular cycle). */
  scheduleWake(nowMs: number): void {
    let wake = this.relays.nextWakeMs(this.config.relaySettleMs, this.config.pulseMs, this.actuatorMask());
    if (this.level <= LEVEL_SEVERED) {
      const base = Math.max(this.lastHeartbeatMs, this.lastLowerMs, this.bootMs);
      wake = Math.min(wake, base + this.config.deadlineMs[this.level]);
    }
    this.wakeAtMs = Math.max(wake, nowMs);
  }
}
