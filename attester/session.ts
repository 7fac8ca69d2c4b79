/**
 * The attester's side of a host-link session (docs/protocol.md sections 4-5), as a pure state
 * machine: it takes link events, received frames and ticks with the time, and returns the lines
 * to send plus reports for the journal. No timers, no I/O, so every path is unit-tested.
 *
 * SYNC on start and whenever the session is lost (ERR REPLAY or ERR SESSION, a HELLO with an
 * unknown nonce);
 * continue from HELLO's seq + 1; one heartbeat per tick while synced.
 */
import { ERR_REPLAY, ERR_SESSION, PROTOCOL_VERSION, SEQUENCE_MAX } from "../protocol/constants.ts";
import type { HmacKey } from "../protocol/hmac.ts";
import type { ControllerFrame } from "../protocol/controller-frames.ts";
import { buildHeartbeat } from "./heartbeat.ts";

export type SessionReport =
  | { kind: "synced"; nonce: string; seq: number; level: number; firmware: string }
  | { kind: "wrong-controller"; id: string }
  | { kind: "unsupported-version"; version: number }
  | { kind: "ack"; seq: number; level: number }
  | { kind: "level"; level: number; cause: string }
  | { kind: "refused"; code: string }
  | { kind: "sequence-exhausted" };

export interface SessionOptions {
  id: string;
  key: HmacKey;
  /** How long to wait for HELLO before sending SYNC again. */
  syncRetryMs: number;
}

export class AttesterSession {
  nonce: string | undefined;
  lastSentSeq = 0;
  synced = false;
  controllerLevel: number | undefined;
  /** Level asked for by the hypervisor, carried by every heartbeat until an ACK confirms it. */
  requestedLevel = 0;
  private syncSentAtMs: number | undefined;

  constructor(private readonly options: SessionOptions) {}

  linkUp(nowMs: number): string[] {
    this.synced = false;
    return this.sync(nowMs);
  }

  linkDown(): void {
    this.synced = false;
    this.syncSentAtMs = undefined;
  }

  /** Asks for `level` (1-3) in the coming heartbeats; a lower pending request is raised. */
  request(level: number): void {
    this.requestedLevel = Math.max(this.requestedLevel, level);
  }

  receive(frame: ControllerFrame, nowMs: number): { send: string[]; reports: SessionReport[] } {
    switch (frame.type) {
      case "HELLO":
        return this.hello(frame, nowMs);
      case "ACK":
        this.controllerLevel = frame.level;
        if (frame.level >= this.requestedLevel) this.requestedLevel = 0;
        return { send: [], reports: [{ kind: "ack", seq: frame.seq, level: frame.level }] };
      case "LEVEL":
        this.controllerLevel = frame.level;
        return { send: [], reports: [{ kind: "level", level: frame.level, cause: frame.cause }] };
      case "ERR": {
        // The controller holds another session (it rebooted) or another sequence: learn it again.
        const lost = frame.code === ERR_REPLAY || frame.code === ERR_SESSION;
        if (lost) this.synced = false;
        return {
          send: lost ? this.sync(nowMs) : [],
          reports: [{ kind: "refused", code: frame.code }],
        };
      }
      default:
        return { send: [], reports: [] };
    }
  }

  /** The line to send this period: a heartbeat while synced, else a SYNC now and then. */
  tick(nowMs: number, measurement: string): { send: string[]; reports: SessionReport[] } {
    if (!this.synced) {
      const due = this.syncSentAtMs === undefined || nowMs - this.syncSentAtMs >= this.options.syncRetryMs;
      return { send: due ? this.sync(nowMs) : [], reports: [] };
    }
    if (this.lastSentSeq >= SEQUENCE_MAX) return { send: [], reports: [{ kind: "sequence-exhausted" }] };
    this.lastSentSeq += 1;
    const fields = {
      id: this.options.id, sessionNonce: this.nonce as string, seq: this.lastSentSeq,
      level: this.requestedLevel, measurement,
    };
    return { send: [buildHeartbeat(fields, this.options.key)], reports: [] };
  }

  private sync(nowMs: number): string[] {
    this.syncSentAtMs = nowMs;
    return ["SYNC"];
  }

  private hello(frame: Extract<ControllerFrame, { type: "HELLO" }>, nowMs: number): { send: string[]; reports: SessionReport[] } {
    if (frame.id !== this.options.id) {
      this.synced = false;
      return { send: [], reports: [{ kind: "wrong-controller", id: frame.id }] };
    }
    if (frame.version !== PROTOCOL_VERSION) {
      this.synced = false;
      return { send: [], reports: [{ kind: "unsupported-version", version: frame.version }] };
    }
    const known = frame.nonce === this.nonce;
    const answersOurSync = this.syncSentAtMs !== undefined;
    const wasSynced = this.synced;
    this.syncSentAtMs = undefined;
    // Never reuse a sequence number already sent in this session, even one still in flight.
    this.lastSentSeq = known ? Math.max(this.lastSentSeq, frame.seq) : frame.seq;
    this.nonce = frame.nonce;
    this.controllerLevel = frame.level;
    this.synced = true;
    // An unsolicited HELLO with a new nonce (the controller rebooted): SYNC as the protocol asks.
    const send = !known && !answersOurSync ? this.sync(nowMs) : [];
    const reports: SessionReport[] = known && wasSynced ? [] : [
      { kind: "synced", nonce: frame.nonce, seq: frame.seq, level: frame.level, firmware: frame.firmware },
    ];
    return { send, reports };
  }
}
