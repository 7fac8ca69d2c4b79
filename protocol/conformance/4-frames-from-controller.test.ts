/** docs/protocol.md section 4 (frames from the controller, one request one reply) on the real firmware. */
import { afterEach, describe, expect, it } from "vitest";
import { ConformancePeer } from "./peer.ts";

let peer: ConformancePeer | undefined;
afterEach(() => peer?.rig.sim.board.powerOff());

describe("4. Frames from the controller", () => {
  it("HELLO: version 2, the id, a 32-hex nonce, the level, the last accepted seq, the path kinds", async () => {
    peer = await ConformancePeer.boot();
    expect(peer.ask("host", "SYNC")).toMatch(/^HELLO 2 sim-1 [0-9a-z.-]{1,16} [0-9a-f]{32} 3 0 npdi$/);
    peer.restoreAndRun();
    expect(peer.ask("host", "SYNC")).toMatch(new RegExp(`^HELLO 2 sim-1 \\S+ ${peer.rig.sessionNonce()} 0 ${peer.rig.seq} npdi$`));
  });

  it("an unprovisioned controller names itself unprovisioned", async () => {
    peer = await ConformancePeer.boot({ config: null });
    expect(peer.ask("ops", "SYNC")).toMatch(/^HELLO 2 unprovisioned /);
    expect(peer.status()).toMatchObject({ level: "3", cause: "config" });
  });

  it("STATUS: seq is the last accepted sequence, uptime whole seconds, boot and causeboot", async () => {
    peer = await ConformancePeer.boot();
    peer.restoreAndRun();
    peer.rig.advance(400);
    const status = peer.status();
    expect(status).toMatchObject({ level: "0", cause: "quorum", paths: "CCOO", inputs: "0000", seq: String(peer.rig.seq), uptime: "2", boot: "0", causeboot: "0" });
    expect(Number(status.age)).toBeGreaterThan(0);
  });

  it("one request, one reply: a stream of requests gets one reply each, in order; LEVEL is never a reply", async () => {
    peer = await ConformancePeer.boot();
    peer.rig.advance(1000);
    const requests = ["SYNC", "STATUS", "LOG 0", "LOG 99", `HEAD 0 ${"ab".repeat(16)}`, "CHAL 9", "NOPE", "CHAL 0"];
    const replies = peer.exchange("ops", requests.map((r) => r + "\n").join("")).filter((line) => !line.startsWith("LEVEL "));
    expect(replies.map((line) => line.split(" ")[0])).toEqual(["HELLO", "STATUS", "LOG", "LOGEND", "HEAD", "ERR", "ERR", "CHAL"]);
    // The AUTH that completes a quorum that cannot act has its ERR as its one reply.
    peer.rig.advance(1000);
    const decap = peer.ask("ops", "CHAL 4").split(" ")[1];
    expect(peer.ask("ops", peer.rig.auth(decap, 4, 0).trim())).toBe("AUTH 1 2");
    expect(peer.replies("ops", peer.rig.auth(decap, 4, 1).trim())).toEqual(["ERR ARM"]);
  });

  it("LEVEL follows the reply of the frame that caused it, on both links", async () => {
    peer = await ConformancePeer.boot();
    peer.rig.advance(1000);
    const nonce = peer.ask("ops", "CHAL 0").split(" ")[1];
    peer.ask("ops", peer.rig.auth(nonce, 0, 0).trim());
    const lines = peer.exchange("ops", peer.rig.auth(nonce, 0, 1));
    expect(lines).toEqual(["AUTH 2 2", "LEVEL 0 quorum"]);
    expect(peer.rig.last("host")).toBe("LEVEL 0 quorum");
  });
});
