import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseAuthLine, parseChallengeText, signChallenge } from "./signature.ts";

const KEY = "5a".repeat(32);
const NONCE = "0f".repeat(16);

describe("operator signatures", () => {
  it("match HMAC-SHA256 by node:crypto over G2|id|AUTH|cnonce|target, truncated to 16 bytes", () => {
    const auth = signChallenge({ id: "ctl-1", nonce: NONCE, target: 0 }, 2, KEY);
    const expected = createHmac("sha256", Buffer.from(KEY, "hex")).update(`G2|ctl-1|AUTH|${NONCE}|0`).digest("hex").slice(0, 32);
    expect(auth.line).toBe(`AUTH ctl-1 0 ${NONCE} 2 ${expected}`);
    expect(parseAuthLine(auth.line + "\n")).toEqual(auth);
  });

  it("bind the target and the controller", () => {
    const base = signChallenge({ id: "ctl-1", nonce: NONCE, target: 0 }, 0, KEY).signature;
    expect(signChallenge({ id: "ctl-1", nonce: NONCE, target: 1 }, 0, KEY).signature).not.toBe(base);
    expect(signChallenge({ id: "ctl-2", nonce: NONCE, target: 0 }, 0, KEY).signature).not.toBe(base);
  });

  it("parse challenges from JSON or a CHAL line, and explain bad input", () => {
    expect(parseChallengeText(JSON.stringify({ id: "ctl-1", nonce: NONCE, target: 0, ttlS: 300, need: 2 }), undefined)).toEqual({ id: "ctl-1", nonce: NONCE, target: 0 });
    expect(parseChallengeText(`CHAL ${NONCE} 0 300 2`, "ctl-1")).toEqual({ id: "ctl-1", nonce: NONCE, target: 0 });
    expect(parseChallengeText(`CHAL ${NONCE} 0 300 2`, undefined)).toEqual({ error: "a CHAL line does not name the controller: add --id" });
    expect(parseAuthLine("AUTH 12 0 ab")).toHaveProperty("error");
    expect(parseAuthLine(`AUTH ${NONCE} 0 ${"a".repeat(32)}`)).toHaveProperty("error");
    expect(parseAuthLine(`AUTH Ctl 0 ${NONCE} 0 ${"a".repeat(32)}`)).toHaveProperty("error");
    expect(parseAuthLine(`AUTH ctl-1 6 ${NONCE} 0 ${"a".repeat(32)}`)).toHaveProperty("error");
    expect(parseAuthLine(`HB ${NONCE} 0 ${"a".repeat(32)}`)).toHaveProperty("error");
  });
});
