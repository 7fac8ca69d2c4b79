/**
 * The simulated board on virtual time as a bench target: the real firmware bundle, a flash
 * holding the bench's configuration, and every world event copied into the timeline. Nothing
 * here judges the firmware; that is the checkers' job.
 */
import { existsSync, readFileSync } from "node:fs";
import { clockMhz } from "../../simulator/interpreter/cpu.ts";
import { firmwareCpuFigures } from "../../simulator/testing/cpu-figures.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import type { Fault } from "../../simulator/faults.ts";
import { createSimulation, type Simulation } from "../../simulator/simulation.ts";
import type { BoardSnapshot, WorldEvent } from "../../simulator/simulated-board.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import type { RelayTiming } from "../../simulator/world/relay-timing.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { boardWatchdogMs } from "../harness/config.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";
import { LINK_NAMES, Timeline, type LinkName } from "../harness/timeline.ts";
import type { Capability, InputName, Sent, Target } from "./target.ts";
import { WriteTimes } from "./write-times.ts";

export const SIM_CAPABILITIES: ReadonlySet<Capability> = new Set(["virtual-time", "coils", "faults", "relay-faults", "internals", "burst", "power", "provisioning", "estop", "tamper", "arm"]);

export interface SimTargetOptions {
  boardId: string;
  seed: number;
  bundlePath: string;
  config: ControllerConfig;
  /** Leave the configuration file out (an unprovisioned board). */
  unprovisioned?: boolean;
  /** Boot with the power off (to arm faults first); call power(true). */
  startOff?: boolean;
  relayTiming?: Partial<RelayTiming>;
  /**
   * The CPU-time model (default on). The scenarios and the fuzzer turn it off: under it the
   * firmware cannot read line-rate abuse (docs/bench.md, "The CPU-time model and the scenarios").
   */
  cpuModel?: boolean;
}

const cpuAllowances = new Map<string, number>();

/** Target.cpuAllowanceMs of `bundlePath` on `boardId`, from the firmware's CPU figures (computed once per bundle). */
function cpuAllowanceMs(boardId: string, bundlePath: string): number {
  const key = `${boardId}:${bundlePath}`;
  if (!cpuAllowances.has(key)) {
    const figures = firmwareCpuFigures(readFileSync(bundlePath, "utf8"), boardId);
    const kHzOfClock = clockMhz(loadProfile(boardId)) * 1000;
    cpuAllowances.set(key, Math.ceil((3 * figures.heartbeatCycles + 2 * figures.controlCycleCycles) / kHzOfClock));
  }
  return cpuAllowances.get(key)!;
}

/** The file the build writes for `boardId`, with the fix in the message when it is missing. */
export function bundlePathFor(boardId: string): string {
  const path = `dist/firmware-${boardId}.js`;
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`make build-all\` (or \`make build BOARD=${boardId}\`) first`);
  return path;
}

export class SimTarget implements Target {
  readonly kind = "sim";
  readonly linkAllowanceMs = 0;
  readonly cpuAllowanceMs: number;
  readonly capabilities = SIM_CAPABILITIES;
  readonly timeline = new Timeline();
  readonly config: ControllerConfig;
  readonly pathKinds: readonly string[];
  readonly coilPins: readonly string[];
  readonly watchdogMs: number;
  readonly simulation: Simulation;
  private readonly devices: Record<LinkName, string>;
  private readonly byteMs: Record<LinkName, number>;
  private readonly lineFreeAtMs: Record<LinkName, number> = { host: 0, ops: 0 };
  private readonly lineHandlers: ((link: LinkName, text: string, atMs: number) => void)[] = [];
  private readonly splitters: Record<LinkName, LineSplitter>;
  private readonly writeTimes: Record<LinkName, WriteTimes> = { host: new WriteTimes(), ops: new WriteTimes() };
  /** Write time of the line the splitter is about to complete. */
  private lineSentAtMs: number | undefined;

  constructor(options: SimTargetOptions) {
    const profile = loadProfile(options.boardId);
    this.config = options.config;
    this.pathKinds = profile.paths.map((path) => path.kind);
    this.coilPins = profile.paths.flatMap((path) => path.relays.map((relay) => relay.coil));
    this.watchdogMs = boardWatchdogMs(options.boardId);
    this.devices = { host: profile.links.host.device, ops: profile.links.ops.device };
    this.byteMs = { host: byteTimeMs(profile.links.host.baud), ops: byteTimeMs(profile.links.ops.baud) };
    const cpuModel = options.cpuModel ?? true;
    this.cpuAllowanceMs = cpuModel ? cpuAllowanceMs(options.boardId, options.bundlePath) : 0;
    this.simulation = createSimulation({
      boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath,
      config: options.unprovisioned === true ? undefined : options.config,
      relayTiming: options.relayTiming, powerOn: false, log: () => {}, cpuModel,
    });
    this.splitters = { host: this.splitter("host"), ops: this.splitter("ops") };
    const { board } = this.simulation;
    for (const link of LINK_NAMES) this.noteWrites(link);
    board.onSerialOutput((device, data) => {
      for (const link of LINK_NAMES) if (this.devices[link] === device) this.output(link, data);
    });
    board.onWorldEvent((event) => this.record(event));
    if (options.startOff !== true) board.powerOn();
  }

  /**
   * Observes the firmware's writes to a link's UART (time and length only; the bytes go on
   * unchanged), so each received line can carry when it was written.
   */
  private noteWrites(link: LinkName): void {
    const uart = this.simulation.board.mcu.uart(this.devices[link])!;
    const write = uart.write.bind(uart);
    uart.write = (data: string): void => {
      if (uart.configuredBaud !== undefined) this.writeTimes[link].wrote(this.nowMs(), data.length);
      write(data);
    };
  }

  /** Bytes out of a link: each completed line gets the write time of its LF. */
  private output(link: LinkName, data: string): void {
    let start = 0;
    for (let end = data.indexOf("\n"); end >= 0; end = data.indexOf("\n", start)) {
      this.lineSentAtMs = this.writeTimes[link].consume(end - start + 1);
      this.splitters[link].feed(data.slice(start, end + 1));
      start = end + 1;
    }
    this.writeTimes[link].consume(data.length - start);
    this.splitters[link].feed(data.slice(start));
  }

  private splitter(link: LinkName): LineSplitter {
    return new LineSplitter((text) => {
      const atMs = this.nowMs();
      this.timeline.add({ atMs, kind: "rx", link, text, sentAtMs: this.lineSentAtMs });
      for (const handler of this.lineHandlers) handler(link, text, atMs);
    });
  }

  /** World events, translated; contact bounce is left out (paths carry what matters). */
  private record(event: WorldEvent): void {
    const atMs = event.atMs;
    switch (event.type) {
      case "coil": return this.timeline.add({ atMs, kind: "coil", relay: event.relay, energised: event.energised });
      case "path": return this.timeline.add({ atMs, kind: "path", path: event.path, conducting: event.conducting });
      case "input": return this.timeline.add({ atMs, kind: "input", input: event.input, active: event.active });
      case "power":
        this.lineCut();
        return this.timeline.add({ atMs, kind: "power", on: event.on });
      case "boot":
        if (event.cause !== "interpreter-reset" && event.cause !== "load") this.lineCut();
        return this.timeline.add({ atMs, kind: "boot", cause: event.cause });
      case "fault": return this.timeline.add({ atMs, kind: "fault", description: JSON.stringify(event.fault) });
      case "uncaught": return this.timeline.add({ atMs, kind: "firmware", problem: "uncaught", text: event.text });
      case "unimplemented": return this.timeline.add({ atMs, kind: "firmware", problem: "unimplemented", text: event.api });
      case "error-flag": return this.timeline.add({ atMs, kind: "firmware", problem: "error-flag", text: event.flag });
      default: return;
    }
  }

  /** A hardware reset or power loss empties the lines: half-sent lines and pending writes are gone. */
  private lineCut(): void {
    for (const link of LINK_NAMES) {
      this.splitters[link].reset();
      this.writeTimes[link].clear();
    }
  }

  nowMs(): number {
    return this.simulation.clock.nowMs();
  }

  async wait(ms: number): Promise<void> {
    this.simulation.clock.advance(ms);
  }

  async waitUntil(predicate: () => boolean, maxMs: number): Promise<boolean> {
    return this.simulation.clock.runUntil(predicate, maxMs);
  }

  every(periodMs: number, fn: () => void): () => void {
    const { clock } = this.simulation;
    let id = 0;
    const tick = (): void => {
      id = clock.setTimer(clock.nowMs() + periodMs, tick);
      fn();
    };
    id = clock.setTimer(clock.nowMs() + periodMs, tick);
    return () => clock.clearTimer(id);
  }

  /**
   * Bytes onto the line, paced at its baud. The arrival time is exact: the line delivers
   * byte after byte from when it was last free (simulator/world/serial-line.ts).
   */
  send(link: LinkName, data: string): Sent {
    const atMs = this.nowMs();
    const { board } = this.simulation;
    const powered = board.powered;
    const pending = board.mcu.uart(this.devices[link])!.rxLine.pendingBytes;
    const startMs = pending === 0 ? atMs : this.lineFreeAtMs[link];
    const arrivesAtMs = powered ? startMs + data.length * this.byteMs[link] : undefined;
    if (arrivesAtMs !== undefined) this.lineFreeAtMs[link] = arrivesAtMs;
    this.timeline.add({ atMs, kind: "tx", link, text: data, arrivesAtMs, byteMs: this.byteMs[link] });
    board.serialInput(this.devices[link], data);
    return { atMs, arrivesAtMs };
  }

  burst(link: LinkName, data: string): Sent {
    const atMs = this.nowMs();
    this.timeline.add({ atMs, kind: "tx", link, text: data, arrivesAtMs: atMs, byteMs: 0 });
    if (this.simulation.board.powered) this.simulation.board.mcu.uart(this.devices[link])!.receive(data);
    return { atMs, arrivesAtMs: atMs };
  }

  onLine(handler: (link: LinkName, text: string, atMs: number) => void): void {
    this.lineHandlers.push(handler);
  }

  /** Whether everything the controller wrote has crossed both links (no reply still queued). */
  repliesDrained(): boolean {
    return LINK_NAMES.every((link) => this.simulation.board.mcu.uart(this.devices[link])!.txLine.pendingBytes === 0);
  }

  paths(): boolean[] {
    return this.pathKinds.map((_, path) => this.simulation.board.world.pathConducting(path));
  }

  async press(input: InputName, active: boolean): Promise<void> {
    this.simulation.board.press(input, active);
  }

  async power(on: boolean): Promise<void> {
    if (on) this.simulation.board.powerOn();
    else this.simulation.board.powerOff();
  }

  /** Applies the fault before returning (the promise only keeps the contract's shape). */
  async inject(fault: Fault): Promise<void> {
    this.simulation.board.inject(fault);
  }

  snapshot(): BoardSnapshot {
    return this.simulation.board.snapshot();
  }

  async close(): Promise<void> {
    this.simulation.board.powerOff();
  }
}
