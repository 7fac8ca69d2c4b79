import { describe, expect, it } from "vitest";
import { HmacKey } from "../protocol/hmac.ts";
import { fromHex } from "../protocol/hex.ts";
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import { AttesterSession } from "./session.ts";

const ID = "ctl-1";
const MEAS = "ab".repeat(16);
const NONCE_A = "a".repeat(32);
const NONCE_B = "b".repeat(32);

function session(): AttesterSession {
  return new AttesterSession({ id: ID, key: new HmacKey(fromHex("22".repeat(32))), syncRetryMs: 1000 });
}

function receive(s: AttesterSession, line: string, nowMs = 0) {
  return s.receive(parseControllerFrame(line), nowMs);
}

const seqOf = (line: string): number => Number(line.split(" ")[2]);
const levelOf = (line: string): number => Number(line.split(" ")[3]);

describe("AttesterSession", () => {
  it("sends SYNC on link up, then heartbeats from HELLO's seq + 1", () => {
    const s = session();
    expect(s.linkUp(0)).toEqual(["SYNC"]);
    expect(s.tick(100, MEAS).send).toEqual([]);
    const { send, reports } = receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 3 41 np`);
    expect(send).toEqual([]);
    expect(reports[0]).toMatchObject({ kind: "synced", seq: 41, level: 3 });
    expect(seqOf(s.tick(200, MEAS).send[0])).toBe(42);
    expect(seqOf(s.tick(400, MEAS).send[0])).toBe(43);
  });

  it("resends SYNC only after the retry time while no HELLO comes", () => {
    const s = session();
    s.linkUp(0);
    expect(s.tick(500, MEAS).send).toEqual([]);
    expect(s.tick(1000, MEAS).send).toEqual(["SYNC"]);
  });

  it("re-SYNCs on ERR REPLAY and continues past the controller's seq", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 0 np`);
    s.tick(10, MEAS);
    expect(receive(s, "ERR REPLAY", 20).send).toEqual(["SYNC"]);
    expect(s.tick(30, MEAS).send).toEqual([]);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 90 np`, 40);
    expect(seqOf(s.tick(50, MEAS).send[0])).toBe(91);
  });

  it("re-SYNCs on ERR SESSION (a heartbeat written for the session before a reboot) and adopts the new session", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 0 np`);
    s.tick(10, MEAS);
    expect(receive(s, "ERR SESSION", 20).send).toEqual(["SYNC"]);
    expect(s.tick(30, MEAS).send).toEqual([]);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_B} 3 0 np`, 40);
    const next = s.tick(50, MEAS).send[0];
    expect(next.split(" ")[1]).toBe(NONCE_B.slice(0, 8));
    expect(seqOf(next)).toBe(1);
  });

  it("never reuses a sequence number sent in the same session", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 0 np`);
    for (let i = 0; i < 5; i++) s.tick(i, MEAS);
    s.linkUp(10);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 2 np`);
    expect(seqOf(s.tick(20, MEAS).send[0])).toBe(6);
  });

  it("adopts a new session from an unsolicited HELLO (controller reboot) and SYNCs once", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 0 np`);
    for (let i = 0; i < 3; i++) s.tick(i, MEAS);
    const reboot = receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_B} 3 0 np`, 100);
    expect(reboot.send).toEqual(["SYNC"]);
    expect(seqOf(s.tick(110, MEAS).send[0])).toBe(1);
    expect(receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_B} 3 1 np`, 120).send).toEqual([]);
  });

  it("refuses to heartbeat a controller with another id", () => {
    const s = session();
    s.linkUp(0);
    const { reports } = receive(s, `HELLO 2 other 1.0 ${"c".repeat(32)} 0 0 np`);
    expect(reports[0]).toEqual({ kind: "wrong-controller", id: "other" });
    expect(s.tick(10, MEAS).send).toEqual([]);
  });

  it("carries a request in every heartbeat until an ACK shows the level", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 0 np`);
    expect(levelOf(s.tick(1, MEAS).send[0])).toBe(0);
    s.request(2);
    s.request(1);
    expect(levelOf(s.tick(2, MEAS).send[0])).toBe(2);
    receive(s, "ACK 1 0");
    expect(levelOf(s.tick(3, MEAS).send[0])).toBe(2);
    receive(s, "ACK 2 2");
    expect(levelOf(s.tick(4, MEAS).send[0])).toBe(0);
  });

  it("stops at the last sequence number instead of wrapping", () => {
    const s = session();
    s.linkUp(0);
    receive(s, `HELLO 2 ${ID} 1.0 ${NONCE_A} 0 4294967294 np`);
    expect(seqOf(s.tick(1, MEAS).send[0])).toBe(4294967295);
    expect(s.tick(2, MEAS)).toEqual({ send: [], reports: [{ kind: "sequence-exhausted" }] });
  });
});
