import { describe, expect, it } from "vitest";
import { parseControllerFrame } from "./frames.ts";

const N = "0123456789abcdef0123456789abcdef";

describe("parseControllerFrame", () => {
  it.each([
    [`HELLO 1 lab-7 0.1.0 ${N} 3 41`, { type: "HELLO", version: 1, id: "lab-7", firmware: "0.1.0", nonce: N, level: 3, seq: 41 }],
    ["ACK 4294967295 2", { type: "ACK", seq: 4294967295, level: 2 }],
    ["LEVEL 2 deadline", { type: "LEVEL", level: 2, cause: "deadline" }],
    ["STATUS 0 quorum CCOT 1010 - 0 12 5", {
      type: "STATUS", level: 0, cause: "quorum", paths: "CCOT", ageMs: null, seq: 0, uptimeS: 12, logNext: 5,
      inputs: { estop: true, tamper: false, arm: true, maintenance: false },
    }],
    [`CHAL ${N} 0 300 2`, { type: "CHAL", nonce: N, target: 0, ttlS: 300, need: 2 }],
    ["AUTH 1 2", { type: "AUTH", have: 1, need: 2 }],
    [`LOG 7 2 130 mac 2 ${N}`, { type: "LOG", index: 7, boot: 2, uptimeS: 130, cause: "mac", level: 2, prev: N }],
    [`LOGEND 8 ${N}`, { type: "LOGEND", next: 8, head: N }],
    ["ERR REPLAY", { type: "ERR", code: "REPLAY" }],
  ])("parses %s", (line, frame) => {
    expect(parseControllerFrame(line)).toEqual(frame);
  });

  it.each([
    ["HB 1 0 x y", /unknown frame type "HB"/],
    ["ACK 1", /ACK needs 3 fields/],
    ["ACK  1 2", /ACK needs 3 fields/],
    ["ACK 01 2", /seq is not a decimal number/],
    ["ACK 1 6", /level is not a level 0-5/],
    [`HELLO 1 Lab_7 0.1 ${N} 0 0`, /id is not a controller id/],
    [`HELLO 1 lab 0.1.0-very-long-version ${N} 0 0`, /fw is longer than 16/],
    [`CHAL ${N.toUpperCase()} 0 300 2`, /cnonce is not 32 lowercase hex digits/],
    ["STATUS 0 quorum CX 0000 - 0 1 1", /paths has unexpected characters/],
    ["STATUS 0 quorum CC 0002 - 0 1 1", /inputs is not four 0\/1 digits/],
  ])("rejects %s naming the problem", (line, reason) => {
    const frame = parseControllerFrame(line);
    expect(frame.type).toBe("invalid");
    expect(frame.type === "invalid" && frame.reason).toMatch(reason);
  });
});
