import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { testBoard } from "../testing/test-board.ts";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const HEX = "function hex(buffer) { var bytes = new Uint8Array(buffer), out = ''; for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); return out; }";

describe('require("crypto")', () => {
  it("SHA256 matches node:crypto for strings, arrays, typed arrays and ArrayBuffers, and returns an ArrayBuffer", () => {
    const { run } = testBoard();
    run(HEX + " var crypto = require('crypto');");
    expect(run("crypto.SHA256('abc') instanceof ArrayBuffer")).toBe(true);
    expect(run("crypto.SHA256('abc').byteLength")).toBe(32);
    expect(run("hex(crypto.SHA256('abc'))")).toBe(sha256(Buffer.from("abc")));
    expect(run("hex(crypto.SHA256('\\xff\\x00\\x80'))")).toBe(sha256(Buffer.from([0xff, 0, 0x80])));
    expect(run("hex(crypto.SHA256([1, 2, 3]))")).toBe(sha256(Buffer.from([1, 2, 3])));
    expect(run("hex(crypto.SHA256(new Uint8Array([9, 8, 7]).subarray(1)))")).toBe(sha256(Buffer.from([8, 7])));
    expect(run("hex(crypto.SHA256(new Uint8Array([4, 5]).buffer))")).toBe(sha256(Buffer.from([4, 5])));
    expect(run("hex(crypto.SHA1('abc'))")).toBe(createHash("sha1").update("abc").digest("hex"));
  });

  it("has no SHA256 on a board whose profile says so, and AES fails loudly", () => {
    const profile = { ...loadProfile("PICO"), sha256: false };
    const board = new SimulatedBoard({ profile, clock: new VirtualClock(), flash: new Flash(), seed: 1 });
    board.powerOn();
    const result = board.evaluate("typeof require('crypto').SHA256");
    expect(result.ok && result.value).toBe("undefined");
    const aes = board.evaluate("require('crypto').AES.encrypt('x', 'k')");
    expect(aes.ok).toBe(false);
    expect(board.snapshot().unimplementedCalls).toEqual(["crypto.AES.encrypt"]);
  });
});
