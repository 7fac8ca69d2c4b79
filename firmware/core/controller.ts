/**
 * The fail-safe controller: events in, actions out. No clock, no pin, no I/O: the board layer
 * passes time and readings in, then drives `relays.coils`, writes `writes` and sends `outbox`.
 * Every path that could change the level goes through raise() (up only) or setLevel() after a
 * quorum (frame-handlers.ts auth(), the one way down).
 */
import {
  CAUSE_BOOT, CAUSE_CONFIG, CAUSE_DEADLINE, CAUSE_ERRORFLAG, CAUSE_ESTOP, CAUSE_EXCEPTION, CAUSE_FLOOD,
  CAUSE_HOST, CAUSE_RELAY, CAUSE_STATE, CAUSE_TAMPER, ERR_MAC, ERR_MEASUREMENT, ERR_REPLAY, LEVEL_DECAPITATION,
  LEVEL_IMMOLATION, LEVEL_MAX, LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED, LINK_HOST, LINK_OPS,
  NONCE_HEX_CHARS, PROTOCOL_VERSION,
} from "../../protocol/constants.ts";
import { fromHex } from "../../protocol/hex.ts";
import { HmacKey, tag } from "../../protocol/hmac.ts";
import { LineReader } from "../../protocol/lines.ts";
import { sha256 } from "#sha256";
import { ALLOWANCE_ERROR_REPLIES, ALLOWANCE_REJECTS, ALLOWANCE_REPLY_BYTES, Allowances } from "./allowance.ts";
import { assert } from "./assert.ts";
import { Challenge } from "./challenge.ts";
import { decodeConfigFile, defaultConfigFields, type ControllerConfig } from "../../protocol/config.ts";
import { EventLog, GENESIS_HASH } from "./event-log.ts";
import { dispatch } from "./frame-handlers.ts";
import { INPUT_ESTOP, INPUT_MAINTENANCE, INPUT_TAMPER, KIND_DECAPITATION, KIND_IMMOLATION, KIND_NETWORK, KIND_POWER } from "./inputs.ts";
import {
  ERROR_REPLIES_PER_SECOND_MAX, OUTBOX_LEVEL_FRAMES_MAX, OUTBOX_MAX, PROBATION_STATUS_PERIOD_MS,
  REPLY_BYTES_PER_SECOND_MAX,
} from "./limits.ts";
import { chooseState, encodeState } from "./persist.ts";
import { STATE_FILES } from "../../protocol/storage-names.ts";
import { RelaySupervisor, STAGE_OPEN } from "./relays.ts";

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

/** HELLO's letter for each KIND_ of path: network, power, decapitation, immolation. */
const PATH_KIND_LETTERS = "npdi";

/** Modes of Controller.send(); no mode means a reply under every cap. */
export const SEND_ALWAYS = 1;
export const SEND_EARNED = 2;
export interface FileWrite { name: string; data: string }
export interface CoilDriver { driveCoils(): void }

export class Controller {
  pathKinds: number[];
  /** Bit per path of KIND_NETWORK, of KIND_POWER (wantedPaths() runs every cycle: masks, not a walk over the kinds). */
  networkPaths = 0;
  powerPaths = 0;
  firmwareVersion: string;
  /** The board's real watchdog timeout: no heartbeat deadline may be shorter. */
  watchdogMs: number;
  relays!: RelaySupervisor;
  // Actions, drained by the board layer after every call.
  outbox: Send[] = [];
  writes: FileWrite[] = [];
  wakeAtMs = Infinity;
  /**
   * Set by the wiring (firmware.ts): drives the coils now. setLevel() calls it as soon as the
   * paths the new level forbids are open, before the log entry, the state and the frames, which
   * take the interpreter tens of milliseconds (docs/simulator.md, "CPU time"). The other
   * actions wait for the wiring's drain after the call, as the outbox and writes do.
   */
  coilDriver: CoilDriver | undefined = undefined;
  // Configuration.
  config: ControllerConfig;
  provisioned = false;
  hostKey: HmacKey | undefined;
  /** Operator n's key is bytes [32n, 32n + 32): five keys as hex text would hold about 20 blocks more. */
  operatorKeys: Uint8Array = new Uint8Array(0);
  // Level.
  level = LEVEL_OFFLINE;
  /** Actuator paths whose pulse is due (bit per path). */
  pulsePending = 0;
  // Session.
  boot = 0;
  write = 0;
  nonceCount = 0;
  lastSeq = 0;
  lastHeartbeatMs = -1;
  /**
   * When the current level's heartbeat deadline passes, Infinity above severed: every event
   * reads it, so it is worked out only when the level, the last heartbeat or the last lowering changes.
   */
  deadlineAtMs = Infinity;
  // Set by start(). nowMs is the time of the event being handled.
  cause!: string;
  /** The boot in which `cause` was latched (STATUS shows it beside the current boot). */
  causeBoot = 0;
  maintenance!: boolean;
  nowMs!: number;
  bootMs!: number;
  seed!: string;
  drbg!: HmacKey;
  sessionNonce!: string;
  lastLowerMs!: number;
  inputs!: number;
  // Frames, per link.
  readers = [new LineReader(LINK_HOST), new LineReader(LINK_OPS)];
  allowances = new Allowances();
  /** The outstanding operator challenge; none most of the time, and then it holds no RAM. */
  challenge: Challenge | undefined = undefined;
  lastChallengeMs = -Infinity;
  lastStatusPushMs = 0;
  log = new EventLog();

  constructor(pathKinds: number[], firmwareVersion: string, watchdogMs: number) {
    this.pathKinds = pathKinds;
    this.firmwareVersion = firmwareVersion;
    this.watchdogMs = watchdogMs;
    this.config = defaultConfigFields() as unknown as ControllerConfig;
  }

  /**
   * Starts a boot: reads configuration and state, draws the session nonce, says HELLO. Every
   * boot is a doubt (a planned reset looks like a watchdog bite or a brown-out): the level is
   * at least the provisioned boot level, and a cause latched before the boot is kept.
   */
  start(input: BootInput): void {
    this.nowMs = this.bootMs = this.lastLowerMs = input.nowMs;
    this.inputs = input.inputs;
    this.maintenance = (input.inputs & INPUT_MAINTENANCE) !== 0;
    const chosen = chooseState(input.stateSlots);
    const state = chosen.state;
    this.cause = CAUSE_BOOT;
    this.seed = GENESIS_HASH;
    // Without a state (a fresh controller, or both slots lost) the level stays offline.
    if (state !== undefined) {
      this.level = state.level;
      this.cause = state.cause;
      this.causeBoot = state.causeBoot;
      this.boot = state.boot + 1;
      this.write = state.write + 1;
      this.seed = state.seed;
      this.log = state.log;
    }
    // A doubt found at boot explains the level from this boot on; the boot entry logs it.
    if (chosen.damaged) {
      this.cause = CAUSE_STATE;
      this.causeBoot = this.boot;
    }
    this.drbg = new HmacKey(sha256(this.seed + "|" + this.boot + "|" + input.entropy));
    this.sessionNonce = this.nextNonce("session");
    this.seed = this.nextNonce("seed");
    // A missing or corrupt configuration leaves the controller offline. A hung interpreter
    // keeps its outputs until the watchdog bites: a shorter deadline could not be kept.
    // Probation's is the shortest (validateConfig).
    const c = decodeConfigFile(input.configFile).config;
    if (c === undefined || c.deadlineMs[LEVEL_PROBATION] < this.watchdogMs) {
      this.level = Math.max(this.level, LEVEL_OFFLINE);
      this.cause = CAUSE_CONFIG;
      this.causeBoot = this.boot;
    } else {
      this.config = c;
      this.provisioned = true;
      this.hostKey = new HmacKey(fromHex(c.hostKey));
      // The key lives on as its HMAC blocks; its text would hold 10 more blocks for nothing.
      c.hostKey = "";
      this.operatorKeys = fromHex(c.operators.join(""));
      c.operators = [];
    }
    if (this.config.bootLevel > this.level) {
      this.level = this.config.bootLevel;
      this.cause = CAUSE_BOOT;
      this.causeBoot = this.boot;
    }
    let actuators = 0;
    for (let p = 0; p < this.pathKinds.length; p++) {
      const kind = this.pathKinds[p];
      if (kind >= KIND_DECAPITATION) actuators |= 1 << p;
      else if (kind === KIND_NETWORK) this.networkPaths |= 1 << p;
      else if (kind === KIND_POWER) this.powerPaths |= 1 << p;
    }
    this.relays = new RelaySupervisor(this.pathKinds.length, actuators, this.config.relaySettleMs, this.config.pulseMs, input.nowMs);
    // The boot's own entry: a doubt found now (state, config) names it, else it is a boot.
    this.log.append(this.boot, 0, this.causeBoot === this.boot ? this.cause : CAUSE_BOOT, this.level);
    this.persist();
    this.updateDeadline();
    this.hello(LINK_HOST);
    this.hello(LINK_OPS);
    this.scheduleWake();
  }

  acceptHeartbeat(seq: number, level: number): void {
    this.lastSeq = seq;
    this.lastHeartbeatMs = this.nowMs;
    this.updateDeadline();
    this.raise(level, CAUSE_HOST);
    this.send(LINK_HOST, "ACK " + seq + " " + this.level, SEND_EARNED);
  }

  openChallenge(target: number, need: number): void {
    this.lastChallengeMs = this.nowMs;
    const nonce = this.nextNonce("chal");
    const ttlS = this.config.challengeTtlS;
    this.challenge = new Challenge(nonce, target, need, this.nowMs + ttlS * 1000);
    this.send(LINK_OPS, "CHAL " + nonce + " " + target + " " + ttlS + " " + need);
  }

  countSignature(operator: number): number {
    const ch = this.challenge!;
    ch.signed |= 1 << operator;
    if (++ch.have >= ch.need) this.challenge = undefined;
    return ch.have;
  }

  /** A fresh 32-hex nonce from the boot-seeded generator. */
  nextNonce(purpose: string): string {
    return tag(this.drbg, purpose + "|" + ++this.nonceCount).substring(0, NONCE_HEX_CHARS);
  }

  /** Bytes arrived on a link. */
  receive(link: number, chunk: string, nowMs: number): void {
    assert(link === LINK_HOST || link === LINK_OPS, "known link");
    this.nowMs = nowMs;
    // A heartbeat that arrives after the deadline, before the wake-up ran, rescues nothing.
    this.checkDeadline();
    this.readers[link].feed(chunk, this);
    this.scheduleWake();
  }

  /**
   * LineSink: one complete line, handled or rejected: a rejection counts toward the flood
   * trigger, is answered `ERR <code>` at a bounded rate, and for a bad MAC, a replay or an
   * unknown measurement also fires the policy trigger of that name.
   */
  onLine(link: number, text: string, status: number): void {
    const code = dispatch(this, link, text, status);
    if (code === undefined) return;
    // A rejection counts toward the flood trigger and is answered with ERR, at most N per second.
    const flood = this.config.flood;
    if (!this.allowances.take(ALLOWANCE_REJECTS + link, this.nowMs, flood.windowMs, 1, flood.max)) this.trigger(CAUSE_FLOOD);
    if (this.allowances.take(ALLOWANCE_ERROR_REPLIES + link, this.nowMs, 1000, 1, ERROR_REPLIES_PER_SECOND_MAX)) this.send(link, "ERR " + code);
    // These rejections are also policy triggers, the code in lower case.
    if (code === ERR_MAC || code === ERR_REPLAY || code === ERR_MEASUREMENT) this.trigger(code.toLowerCase());
  }

  /**
   * The control cycle (and any input edge): inputs, error flags, deadlines, relay supervision.
   * The board kicks the watchdog only when it returns, and an exception is its only failure.
   */
  tick(nowMs: number, feedback: number, inputs: number, errorFlags: string[]): void {
    this.nowMs = nowMs;
    this.inputs = inputs;
    if (inputs & INPUT_ESTOP) this.trigger(CAUSE_ESTOP);
    if (inputs & INPUT_TAMPER) this.trigger(CAUSE_TAMPER);
    // Every flag the interpreter has (docs/espruino.md section 2) means it lost work or memory.
    if (errorFlags.length > 0) this.trigger(CAUSE_ERRORFLAG);
    this.checkDeadline();
    if (this.relays.update(this.wantedPaths(), feedback, nowMs) !== 0) this.trigger(CAUSE_RELAY);
    this.pulsePending &= ~this.relays.pulsed;
    if (this.level === LEVEL_PROBATION && nowMs - this.lastStatusPushMs >= PROBATION_STATUS_PERIOD_MS) {
      this.lastStatusPushMs = nowMs;
      this.send(LINK_OPS, this.status());
    }
    this.scheduleWake();
  }

  /** An exception escaped a handler: cut everything, then raise by policy. */
  exception(nowMs: number): void {
    this.nowMs = nowMs;
    this.relays.openAll(nowMs);
    this.trigger(CAUSE_EXCEPTION);
  }

  updateDeadline(): void {
    this.deadlineAtMs = this.level > LEVEL_SEVERED ? Infinity : Math.max(this.lastHeartbeatMs, this.lastLowerMs, this.bootMs) + this.config.deadlineMs[this.level];
  }

  /** Raises the level on a silent host: the deadline of the current level has passed. */
  checkDeadline(): void {
    // Severed has its own, longer deadline from the same last heartbeat: check again after severing.
    while (this.nowMs >= this.deadlineAtMs) this.raise(this.level === LEVEL_SEVERED ? LEVEL_OFFLINE : LEVEL_SEVERED, CAUSE_DEADLINE);
  }

  /**
   * Bit per path that should conduct now (or pulse, for actuators: pulsePending holds only
   * theirs). A path conducts only while a heartbeat of this session, newer than the last
   * lowering, is within the deadline.
   */
  wantedPaths(): number {
    if (this.maintenance) return 0;
    let wanted = this.pulsePending;
    const beat = this.lastHeartbeatMs;
    const fresh = beat >= 0 && beat >= this.lastLowerMs && this.nowMs - beat < this.config.deadlineMs[Math.min(this.level, LEVEL_SEVERED)];
    if (this.provisioned && fresh) {
      if (this.level <= LEVEL_PROBATION) wanted |= this.networkPaths;
      if (this.level <= LEVEL_SEVERED) wanted |= this.powerPaths;
    }
    return wanted;
  }

  /** A policy trigger fired: raise to the level the policy gives it. */
  trigger(cause: string): void {
    const level = this.config.policy[cause];
    // A missing policy entry is a bug; offline is the answer that cannot be wrong.
    this.raise(level === undefined ? LEVEL_OFFLINE : level, cause);
  }

  /** Raises the level; never lowers it. */
  raise(level: number, cause: string): void {
    if (level > this.level) this.setLevel(Math.min(level, LEVEL_MAX), cause);
  }

  /**
   * The one place the level changes: opens what must open at once, logs, persists, tells.
   * The coils come first: on the board every statement before driveCoils() is trip latency.
   */
  setLevel(level: number, cause: string): void {
    assert(level >= 0 && level <= LEVEL_MAX && level !== this.level, "a real level change");
    assert(this.level < LEVEL_DECAPITATION || level > this.level, "irreversible levels never lower");
    const previous = this.level;
    this.level = level;
    if (level < previous) this.lastLowerMs = this.nowMs;
    this.updateDeadline();
    if (level >= LEVEL_DECAPITATION) {
      for (let p = 0; p < this.pathKinds.length; p++) {
        const kind = this.pathKinds[p];
        const pulseLevel = kind === KIND_DECAPITATION ? LEVEL_DECAPITATION : kind === KIND_IMMOLATION ? LEVEL_IMMOLATION : -1;
        if (pulseLevel > previous && pulseLevel <= level) this.pulsePending |= 1 << p;
      }
    }
    // Paths the new level forbids open now, not at the next cycle, and their coils drop first.
    const opening = ~this.wantedPaths() & ~(this.relays.open | this.relays.pulsed) & ((1 << this.pathKinds.length) - 1);
    for (let p = 0; opening >> p !== 0; p++) if ((opening >> p) & 1) this.relays.enter(p, STAGE_OPEN, this.nowMs);
    // Undefined when no board drives the controller (the core's own tests read relays.coils).
    if (this.coilDriver !== undefined) this.coilDriver.driveCoils();
    this.cause = cause;
    this.causeBoot = this.boot;
    this.challenge = undefined;
    this.log.append(this.boot, Math.floor((this.nowMs - this.bootMs) / 1000), cause, level);
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
    // The controller holds every field of the persisted state under the state's own names.
    this.writes.push({ name: STATE_FILES[this.write % 2], data: encodeState(this) });
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
    if (mode === undefined && !this.allowances.take(ALLOWANCE_REPLY_BYTES + link, this.nowMs, 1000, text.length + 1, REPLY_BYTES_PER_SECOND_MAX)) return;
    assert(this.outbox.length < OUTBOX_MAX + OUTBOX_LEVEL_FRAMES_MAX, "outbox within its cap");
    this.outbox.push({ link: link, text: text + "\n" });
  }

  /** HELLO ends with the kind of each path, so a peer can tell what STATUS paths must read. */
  hello(link: number): void {
    const id = this.provisioned ? this.config.id : "unprovisioned";
    let kinds = "";
    for (let p = 0; p < this.pathKinds.length; p++) kinds += PATH_KIND_LETTERS[this.pathKinds[p]];
    this.send(link, "HELLO " + PROTOCOL_VERSION + " " + id + " " + this.firmwareVersion + " " + this.sessionNonce + " " + this.level + " " + this.lastSeq + " " + kinds);
  }

  status(): string {
    const i = this.inputs;
    const inputs = "" + (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1);
    const age = this.lastHeartbeatMs < 0 ? "-" : Math.floor(this.nowMs - this.lastHeartbeatMs);
    return "STATUS " + this.level + " " + this.cause + " " + this.relays.describe() + " " + inputs + " " + age + " " + this.lastSeq + " " + Math.floor((this.nowMs - this.bootMs) / 1000) + " " + this.log.next + " " + this.boot + " " + this.causeBoot;
  }

  /** When the board must call tick() next at the latest (besides its regular cycle). */
  scheduleWake(): void {
    this.wakeAtMs = Math.max(Math.min(this.relays.nextWakeMs(), this.deadlineAtMs), this.nowMs);
  }
}
