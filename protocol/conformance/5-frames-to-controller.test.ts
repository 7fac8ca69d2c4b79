/** docs/protocol.md section 5 (frames to the controller: check order, sequences, challenges, AUTH, HEAD) on the real firmware. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tag, HmacKey } from "../hmac.ts";
import { fromHex } from "../hex.ts";
import { logHeadInput } from "../messages.ts";
import { OPERATOR_KEYS } from "../testing/keys.ts";
import { ConformancePeer } from "./peer.ts";

let peer: ConformancePeer;
beforeEach(async () => {
  peer = await ConformancePeer.boot();
});
afterEach(() => peer.rig.sim.board.powerOff());

describe("5. HB", () => {
  it("checks syntax, then session, then replay, then MAC, then measurement", () => {
    peer.restoreAndRun();
    const seq = peer.rig.seq;
    const other = (line: string) => line.replace(/^HB [0-9a-f]{8} /, "HB 00000000 ");
    // A replayed sequence of another session is SESSION, not REPLAY: session comes first.
    expect(peer.ask("host", other(peer.rig.heartbeat(0, { seq })).trim())).toBe("ERR SESSION");
    expect(peer.status().level).toBe("0");
    expect(peer.ask("host", peer.rig.heartbeat(0, { seq, key: "00".repeat(32) }).trim())).toBe("ERR REPLAY");
  });

  it("only an accepted heartbeat spends its sequence: a refusal for the measurement or the MAC may be retried", () => {
    peer.restoreAndRun();
    const seq = peer.rig.seq + 1;
    expect(peer.ask("host", peer.rig.heartbeat(0, { seq, measurement: "77".repeat(16) }).trim())).toBe("ERR MEASUREMENT");
    expect(peer.ask("host", peer.rig.heartbeat(0, { seq, key: "00".repeat(32) }).trim())).toBe("ERR MAC");
    expect(peer.ask("host", peer.rig.heartbeat(0, { seq }).trim())).toBe(`ACK ${seq} 3`);
    expect(peer.status().seq).toBe(String(seq));
  });

  it("a heartbeat of the session before a reboot is ERR SESSION and trips nothing", () => {
    peer.restoreAndRun();
    const stale = peer.rig.heartbeat(0);
    peer.rig.sim.board.inject({ kind: "firmware-hang" });
    // The watchdog resets the hung board; it boots into a new session.
    peer.rig.booted();
    const replies = peer.replies("host", stale.trim());
    expect(replies).toEqual(["ERR SESSION"]);
    expect(peer.status()).toMatchObject({ level: "3", cause: "boot" });
  });
});

describe("5. CHAL", () => {
  it("RATE is checked before LEVEL, and a refused CHAL does not start the interval", () => {
    peer.rig.advance(1000);
    expect(peer.ask("ops", "CHAL 0")).toMatch(/^CHAL [0-9a-f]{32} 0 300 2$/);
    expect(peer.ask("ops", "CHAL 3")).toBe("ERR RATE");
    peer.rig.advance(1000);
    expect(peer.ask("ops", "CHAL 3")).toBe("ERR LEVEL");
    expect(peer.ask("ops", "CHAL 1")).toMatch(/^CHAL [0-9a-f]{32} 1 300 2$/);
  });
});

describe("5. AUTH", () => {
  it("names the controller and the target: another id or another target is ERR CHALLENGE", () => {
    peer.rig.advance(1000);
    const nonce = peer.ask("ops", "CHAL 0").split(" ")[1];
    const line = peer.rig.auth(nonce, 0, 0).trim();
    expect(peer.ask("ops", line.replace("AUTH sim-1 ", "AUTH sim-2 "))).toBe("ERR CHALLENGE");
    expect(peer.ask("ops", line.replace("AUTH sim-1 0 ", "AUTH sim-1 1 "))).toBe("ERR CHALLENGE");
    expect(peer.ask("ops", line)).toBe("AUTH 1 2");
    expect(peer.ask("ops", line)).toBe("ERR DUPLICATE");
    expect(peer.ask("ops", line.replace(/ 0 ([0-9a-f]{32})$/, " 9 $1"))).toBe("ERR OPERATOR");
  });
});

describe("5. HEAD", () => {
  it("answers the log head tagged with the operator's key over the verifier's nonce", () => {
    const vnonce = "0f".repeat(16);
    const [type, next, head, headTag] = peer.ask("ops", `HEAD 1 ${vnonce}`).split(" ");
    expect(type).toBe("HEAD");
    expect(peer.ask("ops", `LOG ${next}`)).toBe(`LOGEND ${next} ${head}`);
    expect(headTag).toBe(tag(new HmacKey(fromHex(OPERATOR_KEYS[1])), logHeadInput("sim-1", vnonce, Number(next), head)));
    expect(peer.ask("ops", `HEAD 7 ${vnonce}`)).toBe("ERR OPERATOR");
  });
});
