/**
 * Shares one ops link among many clients (the daemon's own monitor, `guillotine ops` commands
 * on the Unix socket), keeping the link's rule of one answer per request: requests go to the
 * controller one at a time in arrival order, and each answer goes only to the client that
 * asked. The arbiter is a line relay: it reads no more of a frame than its first word.
 *
 * What reaches a client:
 * - the answer to its own request (a frame of the type that request expects, or ERR);
 * - frames the controller sends unasked (HELLO at boot, LEVEL on every change, STATUS each
 *   second at probation), which go to every client;
 * - nothing else: an answer that arrives after its request timed out is dropped, never
 *   passed to a later client as theirs. The controller answers in order, so after a time-out
 *   the arbiter sends its own SYNC and drops everything but unasked frames until that HELLO
 *   comes back: whatever was late arrives before it.
 * When the controller link goes down every client is closed with the reason, so a command
 * fails at once instead of waiting for its time-out.
 */
import type { Cancel, Timers } from "../../kit/timers.ts";
import type { Link } from "../../kit/transport/link.ts";
import { ReconnectingLink } from "../../kit/transport/reconnect.ts";
import type { LinkState } from "../../kit/transport/reconnect.ts";

/** Answer types per request type (docs/protocol.md sections 4-5); ERR answers any request. */
const ANSWERS: Record<string, string[]> = {
  SYNC: ["HELLO"], STATUS: ["STATUS"], CHAL: ["CHAL"], AUTH: ["AUTH"], LOG: ["LOG", "LOGEND"], HEAD: ["HEAD"],
};
/** Frames the controller may send without being asked. */
const UNASKED = new Set(["HELLO", "LEVEL", "STATUS"]);

/** Requests one client may have waiting (queued or on the link): a command asks one at a time. */
export const CLIENT_REQUESTS_MAX = 4;
/** Clients at once; with CLIENT_REQUESTS_MAX this bounds the queue. */
export const CLIENTS_MAX = 16;

interface Request {
  /** undefined: the arbiter's own SYNC after a time-out. */
  client: Client | undefined;
  line: string;
  answers: string[];
}

interface Client {
  lineHandlers: Array<(text: string) => void>;
  closeHandlers: Array<(reason: Error | undefined) => void>;
  waiting: number;
  closed: boolean;
  closeReason: Error | undefined;
}

export interface ArbiterOptions {
  open: () => Promise<Link>;
  timers: Timers;
  /** How long the controller gets to answer one request before the next one goes. */
  answerTimeoutMs: number;
  onState?: (state: LinkState) => void;
}

export class LinkArbiter {
  private readonly link: ReconnectingLink;
  private readonly clients = new Set<Client>();
  private readonly queue: Request[] = [];
  private current: { request: Request; cancel: Cancel } | undefined;
  private downReason = "not connected yet";
  /** A request timed out (or the link is new): resynchronise before the next one. */
  private resyncNeeded = true;
  /** Answers dropped because nobody waited for them any more (late, or a type not asked). */
  dropped = 0;

  constructor(private readonly options: ArbiterOptions) {
    this.link = new ReconnectingLink({
      open: options.open, timers: options.timers,
      onLine: (text) => this.receive(text),
      onState: (state) => this.linkState(state),
    });
  }

  start(): void {
    this.link.start();
  }

  async stop(): Promise<void> {
    this.closeAll(new Error("the ops daemon is stopping"));
    await this.link.stop();
  }

  get isUp(): boolean {
    return this.link.isUp;
  }

  /** A new client on the shared link; throws (with the reason) while the link is down or full. */
  attach(): Link {
    if (!this.link.isUp) throw new Error(`the controller link is down: ${this.downReason}`);
    if (this.clients.size >= CLIENTS_MAX) throw new Error(`the ops daemon already serves ${CLIENTS_MAX} clients; try again later`);
    const client: Client = { lineHandlers: [], closeHandlers: [], waiting: 0, closed: false, closeReason: undefined };
    this.clients.add(client);
    return {
      writeLine: (text) => this.request(client, text),
      onLine: (handler) => void client.lineHandlers.push(handler),
      onClose: (handler) => {
        if (client.closed) queueMicrotask(() => handler(client.closeReason));
        else client.closeHandlers.push(handler);
      },
      close: async () => this.detach(client, undefined),
    };
  }

  private request(client: Client, line: string): boolean {
    if (client.closed) return false;
    if (client.waiting >= CLIENT_REQUESTS_MAX) {
      this.detach(client, new Error(`more than ${CLIENT_REQUESTS_MAX} requests waiting from one client: ask one at a time`));
      return false;
    }
    client.waiting += 1;
    this.queue.push({ client, line, answers: ANSWERS[line.split(" ", 1)[0]] ?? [] });
    this.sendNext();
    return true;
  }

  private sendNext(): void {
    if (this.current !== undefined || !this.link.isUp || this.queue.length === 0) return;
    const request = this.resyncNeeded ? { client: undefined, line: "SYNC", answers: ["HELLO"] } : (this.queue.shift() as Request);
    const cancel = this.options.timers.after(this.options.answerTimeoutMs, () => this.finish(undefined));
    this.current = { request, cancel };
    if (!this.link.writeLine(request.line)) this.finish(undefined);
  }

  /** Ends the request on the link, handing `answer` to its client (none: it timed out), and sends the next. */
  private finish(answer: string | undefined): void {
    const current = this.current;
    if (current === undefined) return;
    current.cancel();
    this.current = undefined;
    const client = current.request.client;
    this.resyncNeeded = answer === undefined;
    if (client !== undefined) {
      client.waiting -= 1;
      if (answer !== undefined && !client.closed) deliver(client, answer);
    }
    this.sendNext();
  }

  private receive(text: string): void {
    const type = text.split(" ", 1)[0];
    const current = this.current;
    const asked = current !== undefined && (current.request.answers.includes(type) || (type === "ERR" && current.request.client !== undefined));
    if (asked) {
      this.finish(text);
      return;
    }
    if (!UNASKED.has(type)) {
      this.dropped += 1;
      return;
    }
    for (const client of this.clients) deliver(client, text);
  }

  private linkState(state: LinkState): void {
    if (state.state === "up") this.resyncNeeded = true;
    if (state.state === "down") {
      this.downReason = state.reason;
      this.current?.cancel();
      this.current = undefined;
      this.queue.length = 0;
      this.closeAll(new Error(`the controller link went down: ${state.reason}`));
    }
    this.options.onState?.(state);
  }

  private closeAll(reason: Error): void {
    for (const client of [...this.clients]) this.detach(client, reason);
  }

  private detach(client: Client, reason: Error | undefined): void {
    if (client.closed) return;
    client.closed = true;
    client.closeReason = reason;
    this.clients.delete(client);
    // Its queued requests go; one already on the link finishes (or times out) first.
    for (let index = this.queue.length - 1; index >= 0; index--) {
      if (this.queue[index].client === client) this.queue.splice(index, 1);
    }
    for (const handler of client.closeHandlers.splice(0)) handler(reason);
  }
}

function deliver(client: Client, text: string): void {
  for (const handler of client.lineHandlers) handler(text);
}
