/**
 * Follows a controller over its ops link for as long as it runs: reconnects when the port
 * vanishes, SYNCs, polls STATUS, and turns everything it hears into events. Used by
 * `ops watch` (printing them) and `ops bridge` (publishing them to MQTT).
 */
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import type { Cancel, Timers } from "../kit/timers.ts";
import type { Link } from "../kit/transport/link.ts";
import { ReconnectingLink } from "../kit/transport/reconnect.ts";
import type { LinkState } from "../kit/transport/reconnect.ts";
import type { Hello } from "./client.ts";
import type { Status } from "./status-text.ts";

export type MonitorEvent =
  | { type: "link"; state: LinkState }
  | { type: "hello"; hello: Hello }
  | { type: "status"; status: Status }
  | { type: "level"; level: number; cause: string }
  | { type: "refused"; code: string }
  | { type: "silent"; silentMs: number };

export interface MonitorOptions {
  open: () => Promise<Link>;
  timers: Timers;
  pollMs: number;
  onEvent: (event: MonitorEvent) => void;
}

/** Polls without any answer before the controller is reported silent. */
const SILENT_POLLS = 3;

export class ControllerMonitor {
  hello: Hello | undefined;
  private readonly link: ReconnectingLink;
  private cancelPoll: Cancel | undefined;
  private lastFrameAtMs = 0;
  private silent = false;
  private helloWaiters: Array<(hello: Hello | undefined) => void> = [];

  constructor(private readonly options: MonitorOptions) {
    this.link = new ReconnectingLink({
      open: options.open,
      timers: options.timers,
      onLine: (text) => this.receive(text),
      onState: (state) => this.linkState(state),
    });
  }

  start(): void {
    this.link.start();
    this.cancelPoll = this.options.timers.every(this.options.pollMs, () => this.poll());
  }

  /** The current HELLO, or the next one within `timeoutMs`; undefined when none comes. */
  waitForHello(timeoutMs: number): Promise<Hello | undefined> {
    if (this.hello !== undefined) return Promise.resolve(this.hello);
    return new Promise((resolve) => {
      const waiter = (hello: Hello | undefined): void => {
        cancel();
        this.helloWaiters = this.helloWaiters.filter((other) => other !== waiter);
        resolve(hello);
      };
      const cancel = this.options.timers.after(timeoutMs, () => waiter(undefined));
      this.helloWaiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.cancelPoll?.();
    // Nobody waits past a stop (and their timers would keep the process alive).
    for (const waiter of [...this.helloWaiters]) waiter(undefined);
    await this.link.stop();
  }

  private poll(): void {
    if (!this.link.isUp) return;
    const now = this.options.timers.nowMs();
    const silentMs = now - this.lastFrameAtMs;
    if (!this.silent && silentMs > SILENT_POLLS * this.options.pollMs) {
      this.silent = true;
      this.hello = undefined;
      this.options.onEvent({ type: "silent", silentMs });
    }
    this.link.writeLine(this.hello === undefined ? "SYNC" : "STATUS");
  }

  private linkState(state: LinkState): void {
    if (state.state === "up") {
      this.lastFrameAtMs = this.options.timers.nowMs();
      this.silent = false;
      this.link.writeLine("SYNC");
    } else {
      this.hello = undefined;
    }
    this.options.onEvent({ type: "link", state });
  }

  private receive(text: string): void {
    const frame = parseControllerFrame(text);
    this.lastFrameAtMs = this.options.timers.nowMs();
    this.silent = false;
    switch (frame.type) {
      case "HELLO":
        this.hello = frame;
        for (const waiter of this.helloWaiters) waiter(frame);
        this.options.onEvent({ type: "hello", hello: frame });
        this.link.writeLine("STATUS");
        return;
      case "STATUS":
        if (this.hello !== undefined) this.options.onEvent({ type: "status", status: frame });
        return;
      case "LEVEL":
        this.options.onEvent({ type: "level", level: frame.level, cause: frame.cause });
        return;
      case "ERR":
        this.options.onEvent({ type: "refused", code: frame.code });
        return;
    }
  }
}
