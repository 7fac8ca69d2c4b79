/** docs/protocol.md section 2 (framing) against the real firmware on the simulated board. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConformancePeer } from "./peer.ts";

let peer: ConformancePeer;
beforeEach(async () => {
  peer = await ConformancePeer.boot();
});
afterEach(() => peer.rig.sim.board.powerOff());

/** A frame of exactly `bytes` bytes counting its LF (and CR, when `cr`): an unknown type padded with letters. */
const frameOf = (bytes: number, cr = false): string => "X".repeat(bytes - 1 - (cr ? 1 : 0)) + (cr ? "\r" : "") + "\n";

describe("2. Framing", () => {
  it("a frame of 128 bytes counting its LF is read; 129 is TOOLONG", () => {
    expect(peer.exchange("ops", frameOf(128))).toEqual(["ERR UNKNOWN"]);
    expect(peer.exchange("ops", frameOf(129))).toEqual(["ERR TOOLONG"]);
  });

  it("the CR before the LF counts toward the 128 bytes, and is dropped before parsing", () => {
    expect(peer.exchange("ops", frameOf(128, true))).toEqual(["ERR UNKNOWN"]);
    expect(peer.exchange("ops", frameOf(129, true))).toEqual(["ERR TOOLONG"]);
    expect(peer.exchange("ops", "STATUS\r\n")[0]).toMatch(/^STATUS /);
  });

  it("a CR anywhere but before the LF, or any byte outside 0x20-0x7E, is CHARSET", () => {
    expect(peer.exchange("ops", "STA\rTUS\n")).toEqual(["ERR CHARSET"]);
    expect(peer.exchange("ops", "STATUS\x00\n")).toEqual(["ERR CHARSET"]);
    expect(peer.exchange("ops", "STATUS\xe9\n")).toEqual(["ERR CHARSET"]);
  });

  it("an empty line is ignored silently; one LF resynchronises after garbage", () => {
    expect(peer.exchange("ops", "\n")).toEqual([]);
    expect(peer.exchange("ops", "\r\n")).toEqual([]);
    expect(peer.exchange("ops", "#!garbage\nSTATUS\n").map((line) => line.split(" ")[0])).toEqual(["ERR", "STATUS"]);
  });

  it("fields are separated by exactly one space, with none leading or trailing", () => {
    expect(peer.exchange("ops", "LOG  0\n")).toEqual(["ERR SYNTAX"]);
    expect(peer.exchange("ops", " LOG 0\n")).toEqual(["ERR SYNTAX"]);
    expect(peer.exchange("ops", "LOG 0 \n")).toEqual(["ERR SYNTAX"]);
  });

  it("numbers carry no sign and no leading zero; 0 itself is allowed", () => {
    expect(peer.exchange("ops", "LOG 00\n")).toEqual(["ERR SYNTAX"]);
    expect(peer.exchange("ops", "LOG +1\n")).toEqual(["ERR SYNTAX"]);
    expect(peer.exchange("ops", "LOG 0\n")[0]).toMatch(/^LOG 0 /);
  });

  it("a frame may arrive in any pieces, several frames in one", () => {
    expect(peer.exchange("ops", "STA")).toEqual([]);
    expect(peer.exchange("ops", "TUS\nLOG 0\n").map((line) => line.split(" ")[0])).toEqual(["STATUS", "LOG"]);
  });
});
