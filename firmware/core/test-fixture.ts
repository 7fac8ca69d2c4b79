/**
 * Test-only helpers for the core: a provisioned controller on Node's SHA-256, and the frames
 * a well-behaved attester and operators would send. Frames are built with the shared protocol
 * functions, and the vectors test re-checks those against node:crypto's own HMAC.
 */
import { authLine, heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import { CONTROLLER_ID, GOOD_MEASUREMENT, HOST_KEY, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { LEVEL_SEVERED, LINK_HOST, LINK_OPS } from "../../protocol/constants.ts";
import { storedConfig, type ControllerConfig } from "../../protocol/config.ts";
import { CONFIG_FILE } from "../../protocol/storage-names.ts";
import type { Controller } from "./controller.ts";
import { Firmware } from "../firmware.ts";
import { FakeBoard } from "../testing/fake-board.ts";
import { MEASUREMENTS_MAX, OPERATORS_MAX, WATCHDOG_MS } from "../../protocol/config-limits.ts";
import { KIND_DECAPITATION, KIND_IMMOLATION, KIND_NETWORK, KIND_POWER } from "./inputs.ts";

export const PATH_KINDS = [KIND_NETWORK, KIND_POWER, KIND_DECAPITATION, KIND_IMMOLATION];
/** Feedback with every relay released. */
export const ALL_RELEASED = 0xff;

export function testConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    version: 1, id: CONTROLLER_ID, hostKey: HOST_KEY, operators: OPERATOR_KEYS, quorum: 2,
    measurements: [GOOD_MEASUREMENT], deadlineMs: [1000, 500, 3000],
    policy: { mac: 2, replay: 2, measurement: 3, flood: 2, estop: 3, tamper: 3, relay: 3, exception: 3, errorflag: 3 },
    flood: { max: 8, windowMs: 1000 }, challengeTtlS: 300, relaySettleMs: 30, cycleMs: 50, pulseMs: 500,
    bootLevel: 3, ...overrides,
  };
}

/** The largest configuration the firmware accepts: every operator and measurement slot used (the memory budgets' case). */
export function largestConfig(): ControllerConfig {
  const config = testConfig();
  const distinct = (hex: string, i: number) => hex.slice(0, -2) + (0x10 + i).toString(16);
  const operators = Array.from({ length: OPERATORS_MAX }, (_, i) => distinct(config.operators[0], i));
  const measurements = Array.from({ length: MEASUREMENTS_MAX }, (_, i) => distinct(config.measurements[0], i));
  // Deadlines every board's watchdog allows (the ESP32's rounds to whole seconds).
  return { ...config, operators, measurements, deadlineMs: [2000, 1000, 3000] };
}

/**
 * The safety concept's condition for a path to conduct, stated apart from the firmware (which
 * folds it into wantedPaths): a heartbeat of this session, newer than the last lowering,
 * within the current level's deadline (severed's above it).
 */
export function heartbeatFresh(c: Controller, nowMs: number): boolean {
  if (c.lastHeartbeatMs < 0 || c.lastHeartbeatMs < c.lastLowerMs) return false;
  return nowMs - c.lastHeartbeatMs < c.config.deadlineMs[Math.min(c.level, LEVEL_SEVERED)];
}


/**
 * A controller booted at `nowMs` on the fake board, through the same wiring as on Espruino
 * (firmware.ts): the board's flash persists across boots. Each step (boot, tick, receive)
 * moves the board's clock to its time and runs that one event.
 */
export class Rig {
  board = new FakeBoard();
  firmware!: Firmware;
  /** The paths the controller is built with, by kind. */
  pathKinds = PATH_KINDS;

  constructor(config: ControllerConfig | null = testConfig()) {
    if (config) this.files[CONFIG_FILE] = storedConfig(config);
  }

  get controller(): Controller {
    return this.firmware.controller;
  }

  get files(): { [name: string]: string } {
    return this.board.storage.files;
  }

  get inputs(): number {
    return this.board.inputs;
  }

  set inputs(bits: number) {
    this.board.inputs = bits;
  }

  get nowMs(): number {
    return this.board.time;
  }

  /** Frames sent, without their line ends. */
  get sent(): { link: number; text: string }[] {
    return this.board.sent.map((s) => ({ link: s.link, text: s.text.trim() }));
  }

  /** `rig.sent = []` forgets what was sent so far. */
  set sent(frames: { link: number; text: string }[]) {
    this.board.sent = frames;
  }

  /** Powers the board up again at `nowMs` (flash kept, everything else as from a reset). */
  boot(nowMs = this.nowMs, entropy = "entropy"): Controller {
    const { storage, sent, inputs } = this.board;
    this.board = new FakeBoard();
    Object.assign(this.board, { storage, sent, inputs, time: nowMs, entropy });
    this.firmware = new Firmware(this.board, this.pathKinds, "0.1.0", WATCHDOG_MS);
    this.firmware.start();
    return this.controller;
  }

  /** Carries out the controller's pending actions, as the firmware does after every event. */
  drain(): void {
    this.firmware.apply();
  }

  /** Feedback of ideal relays: released exactly when not commanded. */
  idealFeedback(): number {
    return ~this.controller.relays.coils & 0xff;
  }

  tick(nowMs: number, feedback = this.idealFeedback()): void {
    this.board.time = nowMs;
    this.board.feedback = feedback;
    this.firmware.cycle();
  }

  /** Ticks every `stepMs` until `untilMs`, with ideal relays. */
  run(untilMs: number, stepMs = 10): void {
    for (let t = this.nowMs + stepMs; t <= untilMs; t += stepMs) this.tick(t);
  }

  receive(link: number, text: string, nowMs = this.nowMs): void {
    this.board.time = nowMs;
    this.firmware.receive(link, text);
  }

  heartbeat(seq: number, level = 0, measurement = GOOD_MEASUREMENT, keyHex = HOST_KEY): string {
    return heartbeatLine({ id: CONTROLLER_ID, nonce: this.controller.sessionNonce, seq, level, measurement, keyHex }) + "\n";
  }

  sendHeartbeat(seq: number, level = 0): void {
    this.receive(LINK_HOST, this.heartbeat(seq, level));
  }

  /** Asks for a challenge; returns its nonce. */
  challenge(target: number): string {
    this.receive(LINK_OPS, `CHAL ${target}\n`);
    const reply = this.last(LINK_OPS);
    if (!reply.startsWith("CHAL ")) throw new Error(`no challenge: ${reply}`);
    return reply.split(" ")[1];
  }

  sign(nonce: string, target: number, operator: number, keyHex = OPERATOR_KEYS[operator]): string {
    return authLine(CONTROLLER_ID, nonce, target, operator, keyHex) + "\n";
  }

  last(link: number): string {
    const sent = this.board.sent;
    for (let i = sent.length - 1; i >= 0; i--) if (sent[i].link === link) return sent[i].text.trim();
    return "";
  }

  sentOn(link: number): string[] {
    return this.sent.filter((s) => s.link === link).map((s) => s.text);
  }
}
