/**
 * The bench's side of the probe (hardware/probe-firmware/probe.ts): uploads it through the
 * probe's REPL, estimates the clock offset, reports path and coil-tap edges on the bench's
 * clock, and drives the e-stop, tamper and supply outputs. Talks through a BytePort, so the same client
 * runs against a real probe (serialport) and a simulated one (tests).
 */
import { PROBE, type FaultSwitchName } from "../../hardware/probe-pins.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";
import { DRIFT_POINTS_MAX, estimateOffset, toBenchMs, withDrift, type ClockOffset, type PingSample } from "./clock-offset.ts";

export interface BytePort {
  write(data: string): void;
  onData(listener: (data: string) => void): void;
}

export interface ProbeEdge {
  path: number;
  conducting: boolean;
  /** When the edge happened, on the bench's clock. */
  atMs: number;
}

/** A coil tap's edge: the controller started or stopped driving relay `relay`'s coil. */
export interface ProbeCoilEdge {
  relay: number;
  driven: boolean;
  /** When the edge happened, on the bench's clock. */
  atMs: number;
}

export type ProbeOutput = "estop" | "tamper" | "supply" | FaultSwitchName;

/** The report format this client reads (P HELLO's version): 2 added the coil taps. */
export const PROBE_PROTOCOL_VERSION = 2;

/** Round trips sampled for the clock offset; the shortest wins. */
export const PING_SAMPLES = 20;
const ANSWER_WAIT_MS = 1000;

export class ProbeClient {
  offset: ClockOffset | undefined;
  /** Every correlation so far (at most DRIFT_POINTS_MAX), oldest first: the drift is fitted through them. */
  private readonly correlations: ClockOffset[] = [];

  /** Correlations the current drift estimate rests on. */
  get correlationCount(): number {
    return this.correlations.length;
  }
  /** Conducting state of each path, from the last edge or state report. */
  readonly conducting: boolean[] = PROBE.pathSensePins.map(() => false);
  /** Whether the controller drives each relay's coil, from the last coil-tap edge or state report. */
  readonly driven: boolean[] = PROBE.coilTapPins.map(() => false);
  private readonly listeners: ((line: string[]) => void)[] = [];
  private readonly edgeListeners: ((edge: ProbeEdge) => void)[] = [];
  private readonly coilListeners: ((edge: ProbeCoilEdge) => void)[] = [];
  /** Fault switches switched on and not off again. */
  private readonly faultsOn: Partial<Record<FaultSwitchName, boolean>> = {};
  private nextId = 1;

  constructor(private readonly port: BytePort, private readonly nowMs: () => number) {
    const splitter = new LineSplitter((text) => this.receive(text));
    port.onData((data) => splitter.feed(data));
  }

  private receive(text: string): void {
    const start = text.indexOf("P ");
    if (start < 0) return;
    const fields = text.slice(start).trim().split(" ");
    if ((fields[1] === "E" || fields[1] === "C") && fields.length === 5) {
      const index = Number(fields[2]);
      const on = fields[3] === "1";
      const atMs = this.offset === undefined ? this.nowMs() : toBenchMs(Number(fields[4]), this.offset);
      if (fields[1] === "E") {
        this.conducting[index] = on;
        for (const listener of this.edgeListeners) listener({ path: index, conducting: on, atMs });
      } else {
        this.driven[index] = on;
        for (const listener of this.coilListeners) listener({ relay: index, driven: on, atMs });
      }
    }
    for (const listener of [...this.listeners]) listener(fields);
  }

  /** Waits for the first report whose fields satisfy `match`. */
  private answer(match: (fields: string[]) => boolean, what: string, timeoutMs = ANSWER_WAIT_MS): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        reject(new Error(`the probe did not answer ${what} within ${timeoutMs} ms: check --probe names the probe's USB port and that it runs Espruino`));
      }, timeoutMs);
      const listener = (fields: string[]): void => {
        if (!match(fields)) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(fields);
      };
      this.listeners.push(listener);
    });
  }

  private command(text: string): void {
    this.port.write(`\x10${text}\n`);
  }

  /** Resets the probe's interpreter, uploads `code`, starts it and waits for HELLO. */
  async upload(code: string): Promise<void> {
    this.port.write("\x03\x10reset()\n");
    await new Promise((resolve) => setTimeout(resolve, 300));
    this.port.write(`\x10${code}\n`);
    const hello = this.answer((f) => f[1] === "HELLO", "P.start()", 3000);
    this.command("P.start()");
    const version = Number((await hello)[2]);
    if (version !== PROBE_PROTOCOL_VERSION) throw new Error(`the probe answered P HELLO version ${version}; this bench reads version ${PROBE_PROTOCOL_VERSION}: the upload did not replace an older probe program (reset the probe and run again)`);
    await this.refreshState();
  }

  /**
   * Samples PING_SAMPLES round trips and keeps the best offset estimate, with the drift fitted
   * through this and the earlier correlations (bench/probe/clock-offset.ts).
   */
  async correlate(samples = PING_SAMPLES): Promise<ClockOffset> {
    const found: PingSample[] = [];
    for (let index = 0; index < samples; index++) {
      const id = this.nextId++;
      const pong = this.answer((f) => f[1] === "PONG" && f[2] === String(id), `ping ${id}`);
      const sentMs = this.nowMs();
      this.command(`P.ping(${id})`);
      const fields = await pong;
      found.push({ sentMs, receivedMs: this.nowMs(), probeS: Number(fields[3]) });
    }
    this.correlations.push(estimateOffset(found));
    if (this.correlations.length > DRIFT_POINTS_MAX) this.correlations.shift();
    this.offset = withDrift(this.correlations);
    return this.offset;
  }

  /**
   * Resolves once every report the probe printed before now has arrived: the probe answers in
   * order, so edges that happened before this ping come before its PONG.
   */
  async flush(): Promise<void> {
    const id = this.nextId++;
    const pong = this.answer((f) => f[1] === "PONG" && f[2] === String(id), `ping ${id}`);
    this.command(`P.ping(${id})`);
    await pong;
  }

  async refreshState(): Promise<void> {
    const reply = this.answer((f) => f[1] === "S", "P.state()");
    this.command("P.state()");
    const fields = await reply;
    const paths = Number(fields[2]);
    const coils = Number(fields[3]);
    for (let path = 0; path < this.conducting.length; path++) this.conducting[path] = ((paths >> path) & 1) === 1;
    for (let relay = 0; relay < this.driven.length; relay++) this.driven[relay] = ((coils >> relay) & 1) === 1;
  }

  /**
   * Sets an output and waits for the probe to confirm it; returns when the probe wrote the pin,
   * on the bench's clock (the confirmation arrives a USB round trip later).
   */
  async set(output: ProbeOutput, level: 0 | 1): Promise<number> {
    const confirmed = this.answer((f) => f[1] === "OUT" && f[2] === output, `P.out("${output}")`);
    this.command(`P.out("${output}",${level})`);
    const fields = await confirmed;
    this.faultsOn[output as FaultSwitchName] = level === 1;
    return this.offset === undefined || fields[4] === undefined ? this.nowMs() : toBenchMs(Number(fields[4]), this.offset);
  }

  /** Switches off every fault switch this client switched on (P.start() starts them off). */
  async clearFaults(): Promise<void> {
    for (const { name } of PROBE.faultSwitches) if (this.faultsOn[name]) await this.set(name, 0);
  }

  /** Registers a path-edge listener; returns the function that removes it. */
  onEdge(listener: (edge: ProbeEdge) => void): () => void {
    this.edgeListeners.push(listener);
    return () => void this.edgeListeners.splice(this.edgeListeners.indexOf(listener), 1);
  }

  /** Registers a coil-tap listener; returns the function that removes it. */
  onCoil(listener: (edge: ProbeCoilEdge) => void): () => void {
    this.coilListeners.push(listener);
    return () => void this.coilListeners.splice(this.coilListeners.indexOf(listener), 1);
  }
}
