/** docs/protocol.md section 8 (the event log: fields, counted boots, LOG unprovisioned) on the real firmware. */
import { afterEach, describe, expect, it } from "vitest";
import { entryHash, verifyLogChain, type LogEntry } from "../../ops/log-chain.ts";
import { parseControllerFrame } from "../controller-frames.ts";
import { ConformancePeer } from "./peer.ts";

let peer: ConformancePeer | undefined;
afterEach(() => peer?.rig.sim.board.powerOff());

function readLog(p: ConformancePeer): { entries: LogEntry[]; next: number; head: string } {
  const entries: LogEntry[] = [];
  for (let index = 0; index < 40; index++) {
    const frame = parseControllerFrame(p.ask("ops", `LOG ${index}`));
    if (frame.type === "LOGEND") return { entries, next: frame.next, head: frame.head };
    if (frame.type !== "LOG") throw new Error(JSON.stringify(frame));
    entries.push((({ type: _type, ...entry }) => entry)(frame));
    index = frame.index;
  }
  throw new Error("no LOGEND");
}

describe("8. Event log", () => {
  it("entries carry index, boot, uptime, cause, level, count and prev, and chain to LOGEND's head", async () => {
    peer = await ConformancePeer.boot();
    peer.restoreAndRun();
    const log = readLog(peer);
    expect(log.entries.map((e) => `${e.index} ${e.boot} ${e.cause} ${e.level} ${e.count}`)).toEqual(["0 0 boot 3 1", "1 0 quorum 0 1"]);
    expect(log.entries[1].uptimeS).toBe(1);
    expect(verifyLogChain(log.entries, { next: log.next, head: log.head }).ok).toBe(true);
    expect(log.head).toBe(entryHash(log.entries[1]));
  });

  it("consecutive boots share one entry that counts them; its boot is the last boot", async () => {
    peer = await ConformancePeer.boot();
    for (let i = 0; i < 5; i++) {
      peer.rig.sim.board.powerOff();
      peer.rig.advance(50);
      peer.rig.sim.board.powerOn();
      peer.rig.advance(50);
    }
    const log = readLog(peer);
    expect(log.entries.map((e) => `${e.index} ${e.boot} ${e.cause} ${e.count}`)).toEqual(["0 5 boot 6"]);
    expect(log.entries[0].prev).toBe("0".repeat(32));
  });

  it("LOG works unprovisioned; the boot entry there is cause config", async () => {
    peer = await ConformancePeer.boot({ config: null });
    expect(peer.ask("ops", "LOG 0")).toMatch(/^LOG 0 0 0 config 3 1 0{32}$/);
  });
});
