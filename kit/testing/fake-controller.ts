/**
 * Test-only stand-in for a controller, written from docs/protocol.md, so the transport, agent
 * and ops tools can be tested before (and beside) the simulated board running the real
 * firmware. It checks what it receives as strictly as the protocol says and keeps a real
 * hash-chained log. Not a model of the firmware's timing, relays or policy.
 */
import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { HmacKey, tag } from "../../protocol/hmac.ts";
import { fromHex, isHex } from "../../protocol/hex.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { LineReader, LINE_OK } from "../../protocol/lines.ts";
import { authSignatureInput, heartbeatMacInput, logHeadInput } from "../../protocol/messages.ts";
import { entryHash, ZERO_HASH, type LogEntry } from "../../ops/log-chain.ts";

export interface FakeControllerOptions {
  id: string;
  hostKeyHex: string;
  operatorKeysHex: string[];
  quorum: number;
  measurements: string[];
  level?: number;
}

export type { LogEntry };

type LinkName = "host" | "ops";

export class FakeController {
  level: number;
  cause = "boot";
  nonce = randomBytes(16).toString("hex");
  lastSeq = 0;
  arm = false;
  heartbeats = 0;
  log: LogEntry[] = [];
  received: Array<{ link: LinkName; text: string }> = [];
  challenge: { nonce: string; target: number; need: number; signers: number[] } | undefined;
  private readonly hostKey: HmacKey;
  private readonly operatorKeys: HmacKey[];
  private readonly streams: Array<{ link: LinkName; stream: Duplex }> = [];
  private pendingBroadcasts: string[] = [];

  constructor(private readonly options: FakeControllerOptions) {
    this.level = options.level ?? 3;
    this.hostKey = new HmacKey(fromHex(options.hostKeyHex));
    this.operatorKeys = options.operatorKeysHex.map((hex) => new HmacKey(fromHex(hex)));
    this.appendLog("boot", this.level);
  }

  hello(): string {
    return `HELLO 2 ${this.options.id} fake-1.0 ${this.nonce} ${this.level} ${this.lastSeq} np`;
  }

  /** A new boot: new nonce, sequence restarts; HELLO goes out on every attached link. */
  reboot(): void {
    this.nonce = randomBytes(16).toString("hex");
    this.lastSeq = 0;
    this.broadcast(this.hello());
  }

  /** Serves `link` on `stream` until it closes. */
  attach(stream: Duplex, link: LinkName): void {
    const entry = { link, stream };
    this.streams.push(entry);
    const reader = new LineReader(0);
    const sink = {
      onLine: (_link: number, text: string, status: number) => {
        const replies = status === LINE_OK ? this.handle(link, text) : [status === 1 ? "ERR TOOLONG" : "ERR CHARSET"];
        for (const reply of replies) if (!stream.destroyed) stream.write(reply + "\n");
        this.flushBroadcasts();
      },
    };
    stream.on("data", (chunk: Buffer) => reader.feed(chunk.toString("latin1"), sink));
    stream.on("error", () => undefined);
    stream.on("close", () => this.streams.splice(this.streams.indexOf(entry), 1));
  }

  handle(link: LinkName, text: string): string[] {
    this.received.push({ link, text });
    const fields = text.split(" ");
    if (fields[0] === "SYNC" && fields.length === 1) return [this.hello()];
    if (link === "host") return fields[0] === "HB" ? this.heartbeat(text, fields) : ["ERR LINK"];
    switch (fields[0]) {
      case "STATUS": return [this.status()];
      case "CHAL": return this.challengeFor(fields);
      case "AUTH": return this.auth(fields);
      case "LOG": return [this.logEntry(Number(fields[1]))];
      case "HEAD": return this.head(fields);
      case "HB": return ["ERR LINK"];
      default: return ["ERR UNKNOWN"];
    }
  }

  private head(f: string[]): string[] {
    const operator = Number(f[1]);
    if (f.length !== 3 || !isDecimal(f[1], 1) || !isHex(f[2], 32)) return ["ERR SYNTAX"];
    if (operator >= this.operatorKeys.length) return ["ERR OPERATOR"];
    const next = this.nextLogIndex();
    const head = this.log.length === 0 ? ZERO_HASH : entryHash(this.log[this.log.length - 1]);
    return [`HEAD ${next} ${head} ${tag(this.operatorKeys[operator], logHeadInput(this.options.id, f[2], next, head))}`];
  }

  status(): string {
    const paths = this.level < 2 ? "CC" : this.level < 3 ? "OC" : "OO";
    const inputs = `00${this.arm ? 1 : 0}0`;
    return `STATUS ${this.level} ${this.cause} ${paths} ${inputs} - ${this.lastSeq} 42 ${this.nextLogIndex()} 1 1`;
  }

  private heartbeat(text: string, f: string[]): string[] {
    const ok = f.length === 6 && isHex(f[1], 8) && isDecimal(f[2], 10) && parseLevel(f[3]) >= 0 && isHex(f[4], 32) && isHex(f[5], 32);
    if (!ok) return ["ERR SYNTAX"];
    if (f[1] !== this.nonce.slice(0, 8)) return ["ERR SESSION"];
    const seq = Number(f[2]);
    if (seq <= this.lastSeq) return this.refuse("REPLAY", 2, "replay");
    const body = text.slice(0, text.lastIndexOf(" "));
    if (tag(this.hostKey, heartbeatMacInput(this.options.id, this.nonce, body)) !== f[5]) {
      return this.refuse("MAC", 2, "mac");
    }
    if (!this.options.measurements.includes(f[4])) return this.refuse("MEASUREMENT", 3, "measurement");
    this.lastSeq = seq;
    this.heartbeats += 1;
    this.raise(Math.min(Number(f[3]), 3), "host");
    return [`ACK ${seq} ${this.level}`];
  }

  private challengeFor(f: string[]): string[] {
    const target = f.length === 2 ? parseLevel(f[1]) : -1;
    if (target < 0) return ["ERR SYNTAX"];
    if (target === this.level || (this.level >= 4 && target < this.level)) return ["ERR LEVEL"];
    const need = target > this.level && target <= 3 ? 1 : this.options.quorum;
    this.challenge = { nonce: randomBytes(16).toString("hex"), target, need, signers: [] };
    return [`CHAL ${this.challenge.nonce} ${target} 60 ${need}`];
  }

  private auth(f: string[]): string[] {
    const challenge = this.challenge;
    if (f.length !== 6) return ["ERR SYNTAX"];
    const operator = Number(f[4]);
    if (!isDecimal(f[4], 1) || operator >= this.operatorKeys.length) return ["ERR OPERATOR"];
    if (challenge === undefined || f[1] !== this.options.id || f[2] !== String(challenge.target) || f[3] !== challenge.nonce) return ["ERR CHALLENGE"];
    if (challenge.signers.includes(operator)) return ["ERR DUPLICATE"];
    const expected = tag(this.operatorKeys[operator], authSignatureInput(this.options.id, challenge.nonce, challenge.target));
    if (expected !== f[5]) return ["ERR SIGNATURE"];
    challenge.signers.push(operator);
    if (challenge.signers.length < challenge.need) return [`AUTH ${challenge.signers.length} ${challenge.need}`];
    this.challenge = undefined;
    if (challenge.target >= 4 && !this.arm) return ["ERR ARM"];
    const cause = challenge.target < this.level || challenge.target >= 4 ? "quorum" : "operator";
    this.setLevel(challenge.target, cause);
    return [`AUTH ${challenge.need} ${challenge.need}`];
  }

  private refuse(code: string, level: number, cause: string): string[] {
    this.raise(level, cause);
    return [`ERR ${code}`];
  }

  private raise(level: number, cause: string): void {
    if (level > this.level) this.setLevel(level, cause);
  }

  /** Changes the level; the LEVEL frame goes out on every link after the current reply. */
  setLevel(level: number, cause: string): void {
    this.level = level;
    this.cause = cause;
    this.appendLog(cause, level);
    this.pendingBroadcasts.push(`LEVEL ${level} ${cause}`);
  }

  /** Sends the queued LEVEL frames on every attached link (tests call it after setLevel). */
  flushBroadcasts(): void {
    const lines = this.pendingBroadcasts;
    this.pendingBroadcasts = [];
    for (const line of lines) this.broadcast(line);
  }

  private broadcast(line: string): void {
    for (const { stream } of this.streams) if (!stream.destroyed) stream.write(line + "\n");
  }

  private appendLog(cause: string, level: number): void {
    const last = this.log[this.log.length - 1];
    const prev = last === undefined ? ZERO_HASH : entryHash(last);
    this.log.push({ index: this.nextLogIndex(), boot: 1, uptimeS: this.log.length * 7, cause, level, count: 1, prev });
  }

  private nextLogIndex(): number {
    const last = this.log[this.log.length - 1];
    return last === undefined ? 0 : last.index + 1;
  }

  private logEntry(index: number): string {
    const oldest = this.log[0];
    if (index >= this.nextLogIndex()) return `LOGEND ${this.nextLogIndex()} ${entryHash(this.log[this.log.length - 1])}`;
    const entry = this.log.find((candidate) => candidate.index === index) ?? oldest;
    return `LOG ${entry.index} ${entry.boot} ${entry.uptimeS} ${entry.cause} ${entry.level} ${entry.count} ${entry.prev}`;
  }
}

