/**
 * Watches the simulated board from outside, like a logic analyser on its wires: the frames it
 * sends on the host and ops links (HELLO, ACK, LEVEL, ERR) and the world around it (relay
 * contacts, path continuity, inputs, boots). It never sends anything to the board, so what it
 * reports is what the firmware did, timed on the board's own clock.
 */
import { LEVEL_NAMES } from "../protocol/constants.ts";
import { parseControllerFrame } from "../host/frames.ts";
import type { SimulatedBoard, WorldEvent } from "../simulator/simulated-board.ts";

export type WatchEvent =
  | { kind: "hello"; atMs: number; id: string; level: number; firmware: string }
  | { kind: "ack"; atMs: number; seq: number; level: number }
  | { kind: "level"; atMs: number; level: number; cause: string }
  | { kind: "refused"; atMs: number; link: "host" | "ops"; code: string }
  | { kind: "path"; atMs: number; path: number; name: string; conducting: boolean }
  | { kind: "input"; atMs: number; input: string; active: boolean }
  | { kind: "boot"; atMs: number; cause: string }
  | { kind: "relay"; atMs: number; relay: number; closed: boolean };

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
  private readonly buffers = new Map<string, string>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly hostDevice: string;
  private readonly opsDevice: string;
  /** Paths the demo talks about: network and power (actuator paths only pulse). */
  readonly shownPaths: number[];

  constructor(readonly board: SimulatedBoard) {
    this.hostDevice = board.profile.links.host.device;
    this.opsDevice = board.profile.links.ops.device;
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
  }

  private off(listener: (event: WatchEvent) => void): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  private emit(event: WatchEvent): void {
    this.history.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }

  private serial(device: string, data: string): void {
    if (device !== this.hostDevice && device !== this.opsDevice) return;
    const lines = ((this.buffers.get(device) ?? "") + data).split("\n");
    this.buffers.set(device, (lines.pop() ?? "").slice(-256));
    for (const line of lines) this.frame(device === this.hostDevice ? "host" : "ops", line.replace(/\r$/, ""));
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
        if (frame.level !== this.level || frame.id !== this.id) this.cause = "boot";
        this.level = frame.level;
        this.id = frame.id;
        this.emit({ kind: "hello", atMs, id: frame.id, level: frame.level, firmware: frame.firmware });
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
        if (!this.shownPaths.includes(event.path)) return;
        this.emit({ kind: "path", atMs: event.atMs, path: event.path, name: event.name, conducting: event.conducting });
        return;
      case "input":
        this.emit({ kind: "input", atMs: event.atMs, input: event.input, active: event.active });
        return;
      case "boot":
        this.lastHeartbeatAtMs = undefined;
        this.emit({ kind: "boot", atMs: event.atMs, cause: event.cause });
        return;
      case "contact":
        if (event.contact === "main") this.emit({ kind: "relay", atMs: event.atMs, relay: event.relay, closed: event.closed });
        return;
    }
  }
}
