/**
 * The bench's end of a link opened by path (a pty or a UART adapter), as the attester and the
 * operator tools open theirs: write lines, wait for the reply that matters, with a deadline.
 */
import type { Duplex } from "node:stream";
import { openSerialStream } from "../../kit/transport/serial.ts";
import { LineSplitter } from "../../protocol/line-splitter.ts";

export class Peer {
  private waiters: { match: (text: string) => boolean; resolve: (text: string) => void }[] = [];
  /** Lines received, newest last (bounded). */
  readonly lines: string[] = [];

  private constructor(private readonly stream: Duplex) {
    const splitter = new LineSplitter((text) => this.receive(text));
    stream.on("data", (data: Buffer) => splitter.feed(data.toString("latin1")));
  }

  static async open(path: string, baud = 115200): Promise<Peer> {
    return new Peer(await openSerialStream(path, baud));
  }

  private receive(text: string): void {
    this.lines.push(text);
    if (this.lines.length > 1000) this.lines.splice(0, 500);
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(text)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(text);
    }
  }

  write(text: string): void {
    this.stream.write(Buffer.from(text, "latin1"));
  }

  /** The next line `match` accepts; rejects after `timeoutMs` naming `what`. */
  next(match: (text: string) => boolean, what: string, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (text: string) => (clearTimeout(timer), resolve(text)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms (last lines: ${JSON.stringify(this.lines.slice(-3))})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Writes `text` and waits for the reply `match` accepts. */
  ask(text: string, match: (reply: string) => boolean, what: string, timeoutMs = 2000): Promise<string> {
    const reply = this.next(match, what, timeoutMs);
    this.write(text);
    return reply;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.stream.once("close", () => resolve());
      this.stream.destroy();
    });
  }
}
