import { describe, expect, it } from "vitest";
import { parseControllerFrame } from "./controller-frames.ts";

const N = "0123456789abcdef0123456789abcdef";

describe("parseControllerFrame", () => {
  it.each([
    [`HELLO 2 lab-7 0.1.0 ${N} 3 41 npdi`, { type: "HELLO", version: 2, id: "lab-7", firmware: "0.1.0", nonce: N, level: 3, seq: 41, kinds: "npdi" }],
    ["ACK 4294967295 2", { type: "ACK", seq: 4294967295, level: 2 }],
    ["LEVEL 2 deadline", { type: "LEVEL", level: 2, cause: "deadline" }],
    ["STATUS 0 quorum CCOT 1010 - 0 12 5 4 2", {
      type: "STATUS", level: 0, cause: "quorum", paths: "CCOT", ageMs: null, seq: 0, uptimeS: 12, logNext: 5, boot: 4, causeBoot: 2,
      inputs: { estop: true, tamper: false, arm: true, maintenance: false },
    }],
    [`CHAL ${N} 0 300 2`, { type: "CHAL", nonce: N, target: 0, ttlS: 300, need: 2 }],
    ["AUTH 1 2", { type: "AUTH", have: 1, need: 2 }],
    [`LOG 7 2 130 mac 2 1 ${N}`, { type: "LOG", index: 7, boot: 2, uptimeS: 130, cause: "mac", level: 2, count: 1, prev: N }],
    [`LOGEND 8 ${N}`, { type: "LOGEND", next: 8, head: N }],
    [`HEAD 8 ${N} ${N}`, { type: "HEAD", next: 8, head: N, tag: N }],
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
    [`HELLO 2 Lab_7 0.1 ${N} 0 0 np`, /id is not a controller id/],
    [`HELLO 2 lab 0.1.0-very-long-version ${N} 0 0 np`, /fw is longer than 16/],
    [`HELLO 2 lab 0.1 ${N} 0 0 nx`, /kinds has unexpected characters/],
    [`HELLO 1 lab 0.1 ${N} 0 0`, /HELLO needs 8 fields/],
    [`CHAL ${N.toUpperCase()} 0 300 2`, /cnonce is not 32 lowercase hex digits/],
    ["STATUS 0 quorum CX 0000 - 0 1 1 0 0", /paths has unexpected characters/],
    ["STATUS 0 quorum CC 0002 - 0 1 1 0 0", /inputs is not four 0\/1 digits/],
  ])("rejects %s naming the problem", (line, reason) => {
    const frame = parseControllerFrame(line);
    expect(frame.type).toBe("invalid");
    expect(frame.type === "invalid" && frame.reason).toMatch(reason);
  });
});
