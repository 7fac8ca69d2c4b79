/**
 * Test-only: the real controller core (firmware/core) on real time, its links served on
 * streams, so the attester and the operator tools are tested against the controller itself
 * and not a second one written from the docs. The core's test rig holds it: relays are ideal
 * (feedback follows the coils at once), flash is a map, and the control cycle runs on a real
 * interval. Deadlines default to a minute, so a test that sends no heartbeat sees no trip.
 */
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { testConfig, Rig } from "../../firmware/core/test-fixture.ts";
import { INPUT_ARM, KIND_NETWORK, KIND_POWER } from "../../firmware/core/inputs.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { LINK_HOST, LINK_OPS } from "../../protocol/constants.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";

type LinkName = "host" | "ops";

const LINKS: Record<LinkName, number> = { host: LINK_HOST, ops: LINK_OPS };

export interface ServedControllerOptions {
  /** Changes to the test configuration (firmware/core/test-fixture.ts). */
  config?: Partial<ControllerConfig>;
  /** The level to start at, reached by a quorum restore after boot (boot itself is offline). */
  level?: number;
}

export class ServedController {
  /** Every line received, in order. */
  readonly received: Array<{ link: LinkName; text: string }> = [];
  /** Heartbeats accepted (ACKs sent). */
  heartbeats = 0;
  private readonly rig: Rig;
  private readonly streams: Array<{ link: LinkName; stream: Duplex }> = [];
  private readonly originMs = performance.now();
  private sentIndex = 0;
  private readonly cycle: NodeJS.Timeout;
  private beats: NodeJS.Timeout | undefined;

  constructor(options: ServedControllerOptions = {}) {
    const config = testConfig({ deadlineMs: [60_000, 60_000, 60_000], ...options.config });
    this.rig = new Rig(config);
    this.rig.pathKinds = [KIND_NETWORK, KIND_POWER];
    this.rig.boot(this.now());
    if (options.level !== undefined && options.level !== this.level) this.setLevel(options.level, "quorum");
    this.forward();
    this.cycle = setInterval(() => this.step(() => this.rig.tick(this.now())), config.cycleMs);
    this.cycle.unref();
  }

  get controller() {
    return this.rig.controller;
  }
  get level(): number {
    return this.rig.controller.level;
  }
  get cause(): string {
    return this.rig.controller.cause;
  }
  get lastSeq(): number {
    return this.rig.controller.lastSeq;
  }

  /** Sets the controller's level as if that cause had struck (a quorum, for a lowering). */
  setLevel(level: number, cause: string): void {
    this.step(() => {
      this.rig.controller.nowMs = this.now();
      this.rig.controller.setLevel(level, cause);
      this.rig.drain();
    });
  }

  /** Turns the physical arm key. */
  set arm(on: boolean) {
    this.rig.inputs = on ? this.rig.inputs | INPUT_ARM : this.rig.inputs & ~INPUT_ARM;
    this.step(() => this.rig.tick(this.now()));
  }

  /** A reset: the controller boots again from what it persisted; HELLO goes out on every link. */
  reboot(): void {
    this.step(() => this.rig.boot(this.now()));
  }

  /** Serves `link` on `stream` until it closes. */
  attach(stream: Duplex, link: LinkName): void {
    const entry = { link, stream };
    this.streams.push(entry);
    const lines = new LineSplitter((text) => this.received.push({ link, text }));
    stream.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      lines.feed(text);
      this.step(() => this.rig.receive(LINKS[link], text, this.now()));
    });
    stream.on("error", () => undefined);
    stream.on("close", () => this.streams.splice(this.streams.indexOf(entry), 1));
  }

  /** Valid heartbeats from the host every `periodMs`, as an attester would send them, until stop(). */
  sendHeartbeats(periodMs: number): void {
    let seq = this.rig.controller.lastSeq;
    this.beats = setInterval(() => this.step(() => this.rig.receive(LINK_HOST, this.rig.heartbeat(++seq), this.now())), periodMs);
    this.beats.unref();
  }

  /** Stops the control cycle and the heartbeats. */
  stop(): void {
    clearInterval(this.cycle);
    clearInterval(this.beats);
  }

  private now(): number {
    return performance.now() - this.originMs;
  }

  private step(action: () => void): void {
    action();
    this.forward();
  }

  /** Writes what the controller sent since the last call to the streams of its link. */
  private forward(): void {
    const sent = this.rig.sent;
    for (; this.sentIndex < sent.length; this.sentIndex++) {
      const { link, text } = sent[this.sentIndex];
      if (link === LINK_HOST && text.startsWith("ACK ")) this.heartbeats++;
      for (const entry of this.streams) if (LINKS[entry.link] === link && !entry.stream.destroyed) entry.stream.write(text + "\n");
    }
  }
}

export interface ServedControllerServer {
  url: string;
  close(): Promise<void>;
}

/** Serves one link of `controller` on a TCP port of 127.0.0.1. */
export async function serveController(controller: ServedController, link: LinkName): Promise<ServedControllerServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    controller.attach(socket, link);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
