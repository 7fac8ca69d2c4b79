/**
 * The real firmware bundle on a virtual-time simulated board, provisioned like a lab would
 * (configuration file in flash), with the frames a well-behaved attester and operators send.
 * Tests and bench scenarios drive it with frames and time, and read what the board did.
 */
import { loadProfile } from "../../hardware/profile.ts";
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { testConfig } from "../../firmware/core/test-fixture.ts";
import { GOOD_MEASUREMENT, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { authLine, heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import { buildFirmware } from "../../tools/build/firmware.ts";
import { createSimulation, type Simulation } from "../simulation.ts";
import type { WorldEvent } from "../simulated-board.ts";

/** The core's test configuration, under this rig's controller id. */
export function rigConfig(overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  return testConfig({ id: "sim-1", ...overrides });
}

/**
 * Longest a reply may take: the board answers after the callback that read the request, which
 * under the CPU-time model takes tens of ms (more when a heartbeat or a cycle was running when
 * the request arrived). The bench's harness waits as long.
 */
export const REPLY_WITHIN_MS = 500;
/** Longest from power-on to HELLO on both links (start() takes about 450 ms on an MDBT42Q). */
export const BOOT_WITHIN_MS = 2000;
/**
 * Longest from a deadline to the coils dropping on a Pico under the CPU-time model: a control
 * cycle may be running when the deadline passes (about 11 ms), then the trip's own work up to
 * driving the coils (about 11 ms). `make bench` measures it per board (board_cpu_memory).
 */
export const TRIP_WITHIN_MS = 25;

const bundles = new Map<string, Promise<string>>();

/** The firmware for a board, built once per process. */
export function firmwareBundle(boardId: string): Promise<string> {
  if (!bundles.has(boardId)) bundles.set(boardId, buildFirmware(boardId).then((firmware) => firmware.code));
  return bundles.get(boardId)!;
}

export class FirmwareRig {
  sim: Simulation;
  profile: BoardProfile;
  config: ControllerConfig;
  received: { host: string; ops: string } = { host: "", ops: "" };
  events: WorldEvent[] = [];
  seq = 0;

  private constructor(sim: Simulation, profile: BoardProfile, config: ControllerConfig) {
    this.sim = sim;
    this.profile = profile;
    this.config = config;
    sim.board.onSerialOutput((device, data) => {
      if (device === profile.links.host.device) this.received.host += data;
      if (device === profile.links.ops.device) this.received.ops += data;
    });
    sim.board.onWorldEvent((event) => {
      this.events.push(event);
      // A frame the power cut short ends there, apart from the next boot's HELLO (a peer's
      // reader would take both for one garbled line).
      if (event.type === "power" && !event.on) for (const link of ["host", "ops"] as const) if (this.received[link] !== "" && !this.received[link].endsWith("\n")) this.received[link] += "\n";
    });
  }

  /** A board with the firmware saved and, unless `config` is null, a configuration in flash. */
  /** `bundle`: the firmware to boot (default: this tree's, built once). */
  static async start(options: { boardId?: string; seed?: number; config?: ControllerConfig | null; cpuModel?: boolean; bundle?: string } = {}): Promise<FirmwareRig> {
    const boardId = options.boardId ?? "PICO";
    const profile = loadProfile(boardId);
    const config = options.config === undefined ? rigConfig() : options.config;
    const bundle = options.bundle ?? (await firmwareBundle(boardId));
    const sim = createSimulation({ boardId, seed: options.seed ?? 1, bundle, config: config ?? undefined, powerOn: false, log: () => {}, cpuModel: options.cpuModel });
    const rig = new FirmwareRig(sim, profile, config ?? rigConfig());
    sim.board.powerOn();
    rig.booted();
    return rig;
  }

  /** Waits for the HELLO on both links that ends a boot; throws after BOOT_WITHIN_MS. */
  booted(): void {
    const hellos = () => Math.min(...(["host", "ops"] as const).map((link) => this.lines(link).filter((line) => line.startsWith("HELLO ")).length));
    const before = hellos();
    this.until(() => hellos() > before, BOOT_WITHIN_MS, "HELLO on both links after power-on");
  }

  /** Advances 1 ms at a time until `done()`; throws naming `what` when it is not within `withinMs`. */
  until(done: () => boolean, withinMs: number, what: string): void {
    const deadlineMs = this.nowMs + withinMs;
    while (!done()) {
      if (this.nowMs >= deadlineMs) throw new Error(`${what}: not within ${withinMs} ms`);
      this.advance(1);
    }
  }

  /** The next line on `link` starting with `prefix`, waiting for it; throws after `withinMs`. */
  reply(link: "host" | "ops", prefix = "", withinMs = REPLY_WITHIN_MS): string {
    const matching = () => this.lines(link).filter((line) => line.startsWith(prefix));
    const before = matching().length;
    this.until(() => matching().length > before, withinMs, `a ${JSON.stringify(prefix)} line on the ${link} link`);
    return matching()[before];
  }

  advance(ms: number): void {
    this.sim.clock.advance(ms);
  }

  get nowMs(): number {
    return this.sim.clock.nowMs();
  }

  /** Complete lines received on `link` (a line still arriving is left out). */
  lines(link: "host" | "ops"): string[] {
    return this.received[link].split("\n").slice(0, -1).filter((line) => line !== "");
  }

  last(link: "host" | "ops", prefix = ""): string {
    const lines = this.lines(link).filter((line) => line.startsWith(prefix));
    return lines[lines.length - 1] ?? "";
  }

  /** A value of the running firmware (its globals), read through the simulator, not a link. */
  firmware(expression: string): unknown {
    const result = this.sim.board.evaluate(expression);
    if (!result.ok) throw new Error(`${expression}: ${result.text}`);
    return result.value;
  }

  /** Board time in ms (what the firmware's nowMs() reads) as the rig's clock time. */
  boardToClockMs(boardMs: number): number {
    return boardMs + this.sim.board.mcu.powerOnMs;
  }

  /** The current session nonce, from the newest HELLO. */
  sessionNonce(): string {
    return this.last("host", "HELLO ").split(" ")[4];
  }

  sendHost(text: string): void {
    this.sim.board.serialInput(this.profile.links.host.device, text);
  }

  sendOps(text: string): void {
    this.sim.board.serialInput(this.profile.links.ops.device, text);
  }

  heartbeat(level = 0, options: { seq?: number; measurement?: string; key?: string; id?: string } = {}): string {
    const seq = options.seq ?? ++this.seq;
    const measurement = options.measurement ?? GOOD_MEASUREMENT;
    return heartbeatLine({ id: options.id ?? this.config.id, nonce: this.sessionNonce(), seq, level, measurement, keyHex: options.key ?? this.config.hostKey }) + "\n";
  }

  /** Asks for a challenge to `target` and returns its nonce (after letting the reply arrive). */
  challenge(target: number): string {
    this.sendOps(`CHAL ${target}\n`);
    const reply = this.reply("ops", "");
    if (!reply.startsWith("CHAL ")) throw new Error(`no CHAL reply; ops link got: ${JSON.stringify(reply)}`);
    return reply.split(" ")[1];
  }

  auth(nonce: string, target: number, operator: number, keyHex = OPERATOR_KEYS[operator]): string {
    return authLine(this.config.id, nonce, target, operator, keyHex) + "\n";
  }

  /** Moves to `target` with operators 0 and 1 signing. */
  quorum(target: number): void {
    const nonce = this.challenge(target);
    this.sendOps(this.auth(nonce, target, 0));
    this.reply("ops", "AUTH ");
    this.sendOps(this.auth(nonce, target, 1));
    this.reply("ops", "AUTH ");
  }

  /** Sends a heartbeat every `periodMs` for `durationMs`. */
  heartbeats(durationMs: number, periodMs = 100, level = 0): void {
    for (let t = 0; t < durationMs; t += periodMs) {
      this.sendHost(this.heartbeat(level));
      this.advance(periodMs);
    }
  }

  /** Level reported by the newest STATUS, after asking for one. */
  level(): number {
    this.sendOps("STATUS\n");
    return Number(this.reply("ops", "STATUS ").split(" ")[1]);
  }

  conducting(kind: string): boolean[] {
    return this.sim.board.snapshot().paths.filter((p) => p.kind === kind).map((p) => p.conducting);
  }
}
