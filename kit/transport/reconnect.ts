/**
 * Keeps a Link open across a port that vanishes and comes back (USB unplug, simulator
 * restart): on every close or failed open it waits, doubling the wait up to a cap, and opens
 * again. It never throws and reports each state change, so the caller can show link health.
 */
import type { Cancel, Timers } from "../timers.ts";
import type { Link } from "./link.ts";

export type LinkState =
  | { state: "connecting"; attempt: number }
  | { state: "up" }
  | { state: "down"; reason: string; retryInMs: number };

export interface ReconnectOptions {
  open: () => Promise<Link>;
  timers: Timers;
  onLine: (text: string) => void;
  onState: (state: LinkState) => void;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

export class ReconnectingLink {
  private link: Link | undefined;
  private stopped = false;
  private attempt = 0;
  private backoffMs: number;
  private cancelRetry: Cancel | undefined;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;

  constructor(private readonly options: ReconnectOptions) {
    this.backoffMinMs = options.backoffMinMs ?? 100;
    this.backoffMaxMs = options.backoffMaxMs ?? 2000;
    this.backoffMs = this.backoffMinMs;
  }

  start(): void {
    this.connect();
  }

  get isUp(): boolean {
    return this.link !== undefined;
  }

  /** Sends a line when the link is up; returns false (nothing sent) while it is down. */
  writeLine(text: string): boolean {
    return this.link !== undefined && this.link.writeLine(text);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelRetry?.();
    const link = this.link;
    this.link = undefined;
    await link?.close();
  }

  private connect(): void {
    this.attempt += 1;
    this.options.onState({ state: "connecting", attempt: this.attempt });
    this.options.open().then(
      (link) => this.adopt(link),
      (error: Error) => this.scheduleRetry(error.message),
    );
  }

  private adopt(link: Link): void {
    if (this.stopped) {
      void link.close();
      return;
    }
    this.link = link;
    this.attempt = 0;
    this.backoffMs = this.backoffMinMs;
    link.onLine((text) => this.options.onLine(text));
    link.onClose((reason) => {
      if (this.link !== link) return;
      this.link = undefined;
      this.scheduleRetry(reason ? reason.message : "closed by the peer");
    });
    this.options.onState({ state: "up" });
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const delayMs = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMaxMs, this.backoffMs * 2);
    this.options.onState({ state: "down", reason, retryInMs: delayMs });
    this.cancelRetry = this.options.timers.after(delayMs, () => this.connect());
  }
}
