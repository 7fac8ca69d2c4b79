/**
 * Watches the simulated board from outside, like a logic analyser on its wires: the frames it
 * sends on the host and ops links (HELLO, ACK, LEVEL, ERR) and the world around it (relay
 * contacts, path continuity, inputs, boots). It never sends anything to the board, so what it
 * reports is what the firmware did, timed on the board's own clock.
 */
import { FRAME_BYTES_MAX, LEVEL_NAMES } from "../protocol/constants.ts";
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import { LineSplitter } from "../protocol/line-splitter.ts";
import type { SimulatedBoard, WorldEvent } from "../simulator/simulated-board.ts";

export type WatchEvent =
  /** `greeting`: the HELLO of a boot (the others answer a tool's SYNC). */
  | { kind: "hello"; atMs: number; id: string; level: number; firmware: string; greeting: boolean }
  | { kind: "ack"; atMs: number; seq: number; level: number }
  | { kind: "level"; atMs: number; level: number; cause: string }
  | { kind: "refused"; atMs: number; link: "host" | "ops"; code: string }
  /** A path settled into a new state (contact bounce filtered); `atMs` is its last transition. */
  | { kind: "path"; atMs: number; path: number; name: string; conducting: boolean }
  | { kind: "input"; atMs: number; input: string; active: boolean }
  | { kind: "boot"; atMs: number; cause: string }
  | { kind: "relay"; atMs: number; relay: number; closed: boolean };

/** Contact bounce lasts a few ms (simulator/world/relay-timing.ts); a path is settled after this. */
const PATH_SETTLE_MS = 15;
/** Events kept in `history` (the story needs seconds of it; trimming halves it). */
const HISTORY_MAX = 20_000;

export interface PathView {
  name: string;
  conducting: boolean;
  /** Main contact of each of the path's relays, in series. */
  relays: boolean[];
}

export class BoardWatch {
  level: number | undefined;
  cause = "?";
  id: string | undefined;
  /** Board time of the newest ACK (the controller accepted a heartbeat then). */
  lastHeartbeatAtMs: number | undefined;
  lastSeq = 0;
  acks = 0;
  readonly history: WatchEvent[] = [];
  private readonly listeners: Array<(event: WatchEvent) => void> = [];
  /** The controller's frames out of its host and ops devices, by device. */
  private readonly splitters: Map<string, LineSplitter>;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly settled = new Map<number, boolean>();
  private readonly latest = new Map<number, { conducting: boolean; atMs: number; name: string }>();
  private readonly settleTimers = new Map<number, NodeJS.Timeout>();
  private greetingDue = false;
  /** Paths the demo talks about: network and power (actuator paths only pulse). */
  readonly shownPaths: number[];

  constructor(readonly board: SimulatedBoard) {
    this.splitters = new Map([
      [board.profile.links.host.device, new LineSplitter((line) => this.frame("host", line), FRAME_BYTES_MAX)],
      [board.profile.links.ops.device, new LineSplitter((line) => this.frame("ops", line), FRAME_BYTES_MAX)],
    ]);
    this.shownPaths = board.profile.paths.flatMap((path, index) => (path.kind === "network" || path.kind === "power" ? [index] : []));
    this.unsubscribe.push(board.onSerialOutput((device, data) => this.serial(device, data)));
    this.unsubscribe.push(board.onWorldEvent((event) => this.world(event)));
  }

  nowMs(): number {
    return this.board.clock.nowMs();
  }

  /** Milliseconds since the last accepted heartbeat, or undefined before the first. */
  heartbeatAgeMs(): number | undefined {
    return this.lastHeartbeatAtMs === undefined ? undefined : this.nowMs() - this.lastHeartbeatAtMs;
  }

  levelName(): string {
    return this.level === undefined ? "unknown" : LEVEL_NAMES[this.level];
  }

  paths(): PathView[] {
    const snapshot = this.board.snapshot();
    return this.shownPaths.map((index) => ({
      name: snapshot.paths[index].name,
      conducting: snapshot.paths[index].conducting,
      relays: snapshot.relays.filter((relay) => relay.path === index).map((relay) => relay.mainClosed),
    }));
  }

  inputs(): Record<string, boolean> {
    const snapshot = this.board.snapshot();
    return Object.fromEntries(Object.entries(snapshot.inputs).map(([name, input]) => [name, input.active]));
  }

  onEvent(listener: (event: WatchEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves with the first event (from now on) that `match` accepts; rejects after `timeoutMs`. */
  next<T extends WatchEvent>(match: (event: WatchEvent) => event is T, timeoutMs: number, what: string): Promise<T>;
  next(match: (event: WatchEvent) => boolean, timeoutMs: number, what: string): Promise<WatchEvent>;
  next(match: (event: WatchEvent) => boolean, timeoutMs: number, what: string): Promise<WatchEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener = (event: WatchEvent): void => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.off(listener);
        resolve(event);
      };
      this.listeners.push(listener);
    });
  }

  /** Polls `check` (every 20 ms and on every event) until true; rejects after `timeoutMs`. */
  async until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    for (const timer of this.settleTimers.values()) clearTimeout(timer);
  }

  /** Reports a path once it has stayed in a new state for PATH_SETTLE_MS. */
  private pathMoved(path: number, name: string, conducting: boolean, atMs: number): void {
    this.latest.set(path, { conducting, atMs, name });
    clearTimeout(this.settleTimers.get(path));
    this.settleTimers.set(path, setTimeout(() => {
      const last = this.latest.get(path)!;
      if (last.conducting === (this.settled.get(path) ?? false)) return;
      this.settled.set(path, last.conducting);
      this.emit({ kind: "path", atMs: last.atMs, path, name: last.name, conducting: last.conducting });
    }, PATH_SETTLE_MS));
  }

  private off(listener: (event: WatchEvent) => void): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  private emit(event: WatchEvent): void {
    this.history.push(event);
    // Heartbeats add ten a second: an interactive session left running keeps only the recent past.
    if (this.history.length > HISTORY_MAX) this.history.splice(0, this.history.length - HISTORY_MAX / 2);
    for (const listener of [...this.listeners]) listener(event);
  }

  private serial(device: string, data: string): void {
    this.splitters.get(device)?.feed(data);
  }

  private frame(link: "host" | "ops", text: string): void {
    const frame = parseControllerFrame(text);
    const atMs = this.nowMs();
    switch (frame.type) {
      case "ACK":
        if (link !== "host") return;
        this.lastHeartbeatAtMs = atMs;
        this.lastSeq = frame.seq;
        this.acks++;
        this.level = frame.level;
        this.emit({ kind: "ack", atMs, seq: frame.seq, level: frame.level });
        return;
      case "HELLO":
        // Both links greet at boot; the ops link's copy is enough.
        if (link !== "ops") return;
        if (this.greetingDue) this.cause = "boot";
        this.level = frame.level;
        this.id = frame.id;
        this.emit({ kind: "hello", atMs, id: frame.id, level: frame.level, firmware: frame.firmware, greeting: this.greetingDue });
        this.greetingDue = false;
        return;
      case "LEVEL":
        // Every change is announced on both links; count it once.
        if (link !== "ops") return;
        this.level = frame.level;
        this.cause = frame.cause;
        this.emit({ kind: "level", atMs, level: frame.level, cause: frame.cause });
        return;
      case "STATUS":
        if (link === "ops") this.cause = frame.cause;
        return;
      case "ERR":
        this.emit({ kind: "refused", atMs, link, code: frame.code });
        return;
    }
  }

  private world(event: WorldEvent): void {
    switch (event.type) {
      case "path":
        if (this.shownPaths.includes(event.path)) this.pathMoved(event.path, event.name, event.conducting, event.atMs);
        return;
      case "input":
        this.emit({ kind: "input", atMs: event.atMs, input: event.input, active: event.active });
        return;
      case "boot":
        this.lastHeartbeatAtMs = undefined;
        this.greetingDue = true;
        this.emit({ kind: "boot", atMs: event.atMs, cause: event.cause });
        return;
      case "contact":
        if (event.contact === "main") this.emit({ kind: "relay", atMs: event.atMs, relay: event.relay, closed: event.closed });
        return;
    }
  }
}
