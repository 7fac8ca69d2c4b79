/**
 * One controller as the daemon holds it: the shared ops link (arbiter), the daemon's own
 * monitor on it, the Unix socket for ops commands, the view the web page draws and, once
 * the controller has said who it is, its MQTT publisher. The monitor and the log reader are
 * clients of the arbiter like any command on the socket.
 */
import type { PathProfile } from "../../hardware/profile-types.ts";
import type { Timers } from "../../kit/timers.ts";
import type { Link } from "../../kit/transport/link.ts";
import { OpsClient } from "../client.ts";
import type { LogEntry } from "../log-chain.ts";
import { ControllerMonitor } from "../monitor.ts";
import type { MonitorEvent } from "../monitor.ts";
import { LinkArbiter } from "./arbiter.ts";
import { applyEvent, emptyView, keepLog, VIEW_LOG_ENTRIES, viewSummary } from "./controller-view.ts";
import type { ControllerView } from "./controller-view.ts";
import { listenOnSocket } from "./socket-server.ts";
import type { SocketServer } from "./socket-server.ts";

export interface WatchedControllerOptions {
  where: string;
  open: () => Promise<Link>;
  timers: Timers;
  pollMs: number;
  answerTimeoutMs: number;
  paths: PathProfile[];
  log: (line: string) => void;
  /** Every monitor event, after the view took it. */
  onEvent: (controller: WatchedController, event: MonitorEvent) => void;
  /** The view changed in something that matters (not just the clocks). */
  onChange: (controller: WatchedController) => void;
}

export class WatchedController {
  readonly view: ControllerView;
  readonly arbiter: LinkArbiter;
  private readonly monitor: ControllerMonitor;
  private socket: SocketServer | undefined;
  private summary = "";
  private health = "";
  private logReading = false;
  private logWanted = false;

  constructor(private readonly options: WatchedControllerOptions) {
    this.view = emptyView(options.where);
    // The link's health is the arbiter's (the port itself); the monitor's own link to the
    // arbiter only follows it, so its link events would say the same thing later and vaguer.
    this.arbiter = new LinkArbiter({
      open: options.open, timers: options.timers, answerTimeoutMs: options.answerTimeoutMs,
      onState: (state) => this.event({ type: "link", state }),
    });
    this.monitor = new ControllerMonitor({
      open: async () => this.arbiter.attach(),
      timers: options.timers,
      pollMs: options.pollMs,
      onEvent: (event) => {
        if (event.type !== "link") this.event(event);
      },
    });
  }

  start(): void {
    this.arbiter.start();
    this.monitor.start();
  }

  async serveSocket(path: string, mode: number): Promise<void> {
    this.socket = await listenOnSocket(path, mode, this.arbiter);
  }

  get socketPath(): string | undefined {
    return this.socket?.path;
  }

  waitForHello(timeoutMs: number): Promise<unknown> {
    return this.monitor.waitForHello(timeoutMs);
  }

  async stop(): Promise<void> {
    await this.socket?.close();
    await this.monitor.stop();
    await this.arbiter.stop();
  }

  private event(event: MonitorEvent): void {
    const logNext = this.view.logNext;
    applyEvent(this.view, event, this.options.paths, Date.now());
    if (this.view.logNext !== undefined && this.view.logNext !== logNext) this.readLogTail();
    this.logHealth(event);
    this.options.onEvent(this, event);
    this.changed();
  }

  /** One log line per change of link or controller health, and per level change: not per retry. */
  private logHealth(event: MonitorEvent): void {
    const where = this.options.where;
    if (event.type === "level") this.options.log(`${where}: ${this.view.id ?? "controller"} level ${this.view.levelName} (cause ${event.cause})`);
    const view = this.view;
    const health = view.link === "down" ? `link down: ${view.linkReason}`
      : view.answering ? `${view.id} answers (firmware ${view.firmware}, level ${view.levelName})`
        : event.type === "silent" ? "link up, but the controller is silent" : this.health;
    if (health === this.health) return;
    this.health = health;
    this.options.log(`${where}: ${health}`);
  }

  private changed(): void {
    const summary = viewSummary(this.view);
    if (summary === this.summary) return;
    this.summary = summary;
    this.options.onChange(this);
  }

  /** Reads the newest log entries through the arbiter; one reader at a time, rerun if more came. */
  private readLogTail(): void {
    if (this.logReading) {
      this.logWanted = true;
      return;
    }
    this.logReading = true;
    this.logWanted = false;
    void this.readEntries().then((entries) => {
      keepLog(this.view, entries);
      this.changed();
    }, (error: Error) => this.options.log(`${this.options.where}: cannot read the event log: ${error.message}`)).finally(() => {
      this.logReading = false;
      if (this.logWanted) this.readLogTail();
    });
  }

  private async readEntries(): Promise<LogEntry[]> {
    const client = await OpsClient.start(this.arbiter.attach(), this.options.timers, this.options.answerTimeoutMs * 3, this.options.where);
    try {
      const entries: LogEntry[] = [];
      const next = this.view.logNext ?? 0;
      for (let index = Math.max(0, next - VIEW_LOG_ENTRIES); index < next; index++) {
        const frame = await client.ask(`LOG ${index}`, "LOG", "LOGEND");
        if (frame.type === "LOGEND") break;
        const { type: _type, ...entry } = frame;
        if (!entries.some((kept) => kept.index === entry.index)) entries.push(entry);
      }
      return entries;
    } finally {
      await client.close();
    }
  }
}
