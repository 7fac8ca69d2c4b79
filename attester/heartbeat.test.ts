import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HmacKey } from "../protocol/hmac.ts";
import { fromHex } from "../protocol/hex.ts";
import { FRAME_BYTES_MAX } from "../protocol/constants.ts";
import { buildHeartbeat } from "./heartbeat.ts";

const KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const key = new HmacKey(fromHex(KEY_HEX));
const fields = { id: "lab-7", sessionNonce: "f".repeat(32), seq: 4294967295, level: 2, measurement: "9".repeat(32) };

describe("buildHeartbeat", () => {
  it("matches an HMAC-SHA256 computed by node:crypto over G2|id|nonce|body", () => {
    const frame = buildHeartbeat(fields, key);
    const body = `HB ffffffff 4294967295 2 ${"9".repeat(32)}`;
    const expected = createHmac("sha256", Buffer.from(KEY_HEX, "hex"))
      .update(`G2|lab-7|${"f".repeat(32)}|${body}`).digest("hex").slice(0, 32);
    expect(frame).toBe(`${body} ${expected}`);
    expect(frame.length + 1).toBeLessThanOrEqual(FRAME_BYTES_MAX);
  });

  it("binds the session nonce: the same body in another session has another MAC", () => {
    const other = buildHeartbeat({ ...fields, sessionNonce: "e".repeat(32) }, key);
    expect(other.slice(-32)).not.toBe(buildHeartbeat(fields, key).slice(-32));
  });

  it.each([
    ["seq 0", { seq: 0 }],
    ["seq past the maximum", { seq: 4294967296 }],
    ["level above offline", { level: 4 }],
    ["uppercase measurement", { measurement: "A".repeat(32) }],
    ["short nonce", { sessionNonce: "f".repeat(31) }],
    ["bad id", { id: "Lab_7" }],
  ])("refuses to build a frame with %s", (_name, patch) => {
    expect(() => buildHeartbeat({ ...fields, ...patch }, key)).toThrow(/heartbeat:/);
  });
});
