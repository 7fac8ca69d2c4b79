/**
 * A real board as a bench target: its host and ops links on serial ports, its paths and relay
 * coils watched and its e-stop, tamper and supply loops and relay fault switches driven by the
 * probe. Time is the bench's monotonic clock; probe edges are mapped onto it with the
 * estimated clock offset. Nothing inside the controller can be seen or injected here, so
 * scenarios needing that are skipped.
 */
import type { Duplex } from "node:stream";
import type { ControllerConfig } from "../../protocol/config.ts";
import { PROBE, type FaultSwitch } from "../../hardware/probe-pins.ts";
import type { Fault } from "../../simulator/faults.ts";
import type { BoardSnapshot } from "../../simulator/simulated-board.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";
import { LINK_NAMES, Timeline, type LinkName } from "../harness/timeline.ts";
import type { ProbeClient } from "../probe/probe-client.ts";
import { UnsupportedError, type Capability, type InputName, type Sent, type Target } from "./target.ts";

/**
 * What a real controller with the probe offers: its coil taps (each coil's drive; an open
 * winding still reads driven), e-stop, tamper, supply; no arm (a person turns the key:
 * hardware/probe.md).
 */
export const SERIAL_CAPABILITIES: ReadonlySet<Capability> = new Set(["coils", "relay-faults", "estop", "tamper", "power"]);

/** The fault switch that makes `fault` (same kind, relay and, for a stuck feedback, level), if the bench has one. */
export function faultSwitchFor(fault: Fault): FaultSwitch | undefined {
  return PROBE.faultSwitches.find((s) => {
    const made: { kind: string; relay?: number; level?: number } = s.fault;
    const asked = fault as { kind: string; relay?: number; level?: number };
    return made.kind === asked.kind && made.relay === asked.relay && made.level === (asked.kind === "feedback-stuck" ? asked.level : undefined);
  });
}
/** How often waitUntil looks again; events also wake it at once. */
const POLL_MS = 2;
/** A real board boots in well under a second; the bench waits this long after switching the supply on. */
export const BOOT_WAIT_MS = 1500;

/** The open ports and the probe, shared by every scenario of a run. */
export interface SerialBench {
  links: Record<LinkName, Duplex>;
  probe: ProbeClient;
  config: ControllerConfig;
  pathKinds: readonly string[];
  coilPins: readonly string[];
  watchdogMs: number;
  originMs: number;
  /** See Target.linkAllowanceMs. */
  linkAllowanceMs: number;
}

export class SerialTarget implements Target {
  readonly kind = "serial";
  readonly linkAllowanceMs: number;
  /** A real board's CPU time is in what the bench measures; the limits stay the requirement's. */
  readonly cpuAllowanceMs = 0;
  readonly capabilities = SERIAL_CAPABILITIES;
  readonly timeline = new Timeline();
  readonly config: ControllerConfig;
  readonly pathKinds: readonly string[];
  readonly coilPins: readonly string[];
  readonly watchdogMs: number;
  private readonly handlers: ((link: LinkName, text: string, atMs: number) => void)[] = [];
  private readonly wakers = new Set<() => void>();
  /** Stops of the periodic jobs scenarios started (heartbeat pumps): close() ends them all. */
  private readonly periodic = new Set<() => void>();
  /** Undoes the listeners this scenario put on the shared ports and probe. */
  private readonly detach: (() => void)[] = [];

  constructor(private readonly bench: SerialBench) {
    this.config = bench.config;
    this.pathKinds = bench.pathKinds;
    this.coilPins = bench.coilPins;
    this.watchdogMs = bench.watchdogMs;
    this.linkAllowanceMs = bench.linkAllowanceMs;
    for (const link of LINK_NAMES) {
      const splitter = new LineSplitter((text) => this.line(link, text));
      const listener = (data: Buffer): void => splitter.feed(data.toString("latin1"));
      bench.links[link].on("data", listener);
      this.detach.push(() => bench.links[link].off("data", listener));
    }
    this.detach.push(bench.probe.onEdge((edge) => {
      this.timeline.add({ atMs: edge.atMs, kind: "path", path: edge.path, conducting: edge.conducting });
      this.wake();
    }));
    this.detach.push(bench.probe.onCoil((edge) => {
      if (edge.relay >= this.coilPins.length) return;
      this.timeline.add({ atMs: edge.atMs, kind: "coil", relay: edge.relay, energised: edge.driven });
      this.wake();
    }));
  }

  private line(link: LinkName, text: string): void {
    const atMs = this.nowMs();
    this.timeline.add({ atMs, kind: "rx", link, text });
    for (const handler of this.handlers) handler(link, text, atMs);
    this.wake();
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  nowMs(): number {
    return performance.now() - this.bench.originMs;
  }

  /**
   * Lets `ms` pass (Node's timers count whole milliseconds and may fire a fraction early: the
   * rest is waited out), then collects the probe's reports of edges in that time (probe.flush),
   * so that afterwards the timeline holds what happened until then, as on the simulated board.
   */
  async wait(ms: number): Promise<void> {
    const untilMs = this.nowMs() + ms;
    while (this.nowMs() < untilMs) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(untilMs - this.nowMs()))));
    await this.bench.probe.flush();
  }

  /**
   * As on the simulated board, but the probe reports an edge a little after it happened (its
   * console line, USB): at the limit the bench first collects every report of edges that
   * happened before it (probe.flush), then looks once more. Edges carry their own times.
   */
  waitUntil(predicate: () => boolean, maxMs: number): Promise<boolean> {
    if (predicate()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (held: boolean): void => {
        if (done) return;
        done = true;
        clearInterval(poll);
        clearTimeout(limit);
        this.wakers.delete(check);
        resolve(held);
      };
      const check = (): void => void (predicate() && finish(true));
      const atLimit = (): void => {
        clearInterval(poll);
        this.bench.probe.flush().then(() => finish(predicate()), () => finish(predicate()));
      };
      const poll = setInterval(check, POLL_MS);
      const limit = setTimeout(atLimit, Math.max(0, maxMs));
      this.wakers.add(check);
    });
  }

  every(periodMs: number, fn: () => void): () => void {
    const handle = setInterval(fn, periodMs);
    const stop = (): void => {
      clearInterval(handle);
      this.periodic.delete(stop);
    };
    this.periodic.add(stop);
    return stop;
  }

  /** The arrival time is unknown (USB adapters buffer); the send time is the bench's best bound. */
  send(link: LinkName, data: string): Sent {
    const atMs = this.nowMs();
    this.timeline.add({ atMs, kind: "tx", link, text: data });
    this.bench.links[link].write(Buffer.from(data, "latin1"));
    return { atMs, arrivesAtMs: undefined };
  }

  burst(): Sent {
    throw new UnsupportedError("serial", "placing bytes straight into the controller's receive buffer");
  }

  onLine(handler: (link: LinkName, text: string, atMs: number) => void): void {
    this.handlers.push(handler);
  }

  paths(): boolean[] {
    return this.pathKinds.map((_, path) => this.bench.probe.conducting[path] ?? false);
  }

  /** E-stop and tamper are loops: "active" opens the loop (probe output low). Recorded at the probe's time of the write. */
  async press(input: InputName, active: boolean): Promise<void> {
    if (input === "arm") throw new UnsupportedError("serial", "the arm key (it needs a person: hardware/probe.md)");
    const atMs = await this.bench.probe.set(input, active ? 0 : 1);
    this.timeline.add({ atMs, kind: "input", input, active });
  }

  async power(on: boolean): Promise<void> {
    // The time the probe drove K9; the relay itself takes some ms more (within the checkers' grace).
    const atMs = await this.bench.probe.set("supply", on ? 1 : 0);
    this.timeline.add({ atMs, kind: "power", on });
  }

  /**
   * A relay fault through its fault switch (recorded at the probe's time of the write); any
   * other fault is beyond a bench.
   */
  async inject(fault: Fault): Promise<void> {
    const found = faultSwitchFor(fault);
    if (found === undefined) throw new UnsupportedError("serial", `the fault ${JSON.stringify(fault)} (the bench's fault switches make only ${PROBE.faultSwitches.map((s) => s.name).join(", ")})`);
    const on = !("active" in fault) || fault.active !== false;
    const atMs = await this.bench.probe.set(found.name, on ? 1 : 0);
    this.timeline.add({ atMs, kind: "fault", description: JSON.stringify(fault) });
  }

  snapshot(): BoardSnapshot {
    throw new UnsupportedError("serial", "reading the controller's internals");
  }

  async close(): Promise<void> {
    for (const stop of [...this.periodic]) stop();
    for (const undo of this.detach.splice(0)) undo();
  }
}
