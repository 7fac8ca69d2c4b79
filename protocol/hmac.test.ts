import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex } from "./hex.ts";
import { HmacKey, tag, tagMatches } from "./hmac.ts";

const KEY_HEX = "0123456789abcdef".repeat(4);
const nodeTag = (message: string) => createHmac("sha256", Buffer.from(KEY_HEX, "hex")).update(message, "latin1").digest("hex").slice(0, 32);
/** Enough messages that many tags have a word under 0x10000000 (a leading zero digit). */
const MESSAGES = Array.from({ length: 200 }, (_, i) => `G2|sim-1|${i}|HB 0 ${i}`);

describe("the protocol's tag", () => {
  const key = new HmacKey(fromHex(KEY_HEX));

  it("is Node's HMAC-SHA256 cut to 32 hex digits, also when a word starts with zero digits", () => {
    const withZeroWord = MESSAGES.filter((message) => /^(.{8})*0/.test(nodeTag(message)));
    expect(withZeroWord.length).toBeGreaterThan(20);
    for (const message of MESSAGES) expect(tag(key, message)).toBe(nodeTag(message));
  });

  it("tagMatches accepts exactly the tag: every digit changed, and every other key, refuses", () => {
    for (const message of MESSAGES.slice(0, 20)) {
      const good = nodeTag(message);
      expect(tagMatches(key, message, good)).toBe(true);
      for (let i = 0; i < 32; i++) {
        const digit = ((parseInt(good[i], 16) + 1) % 16).toString(16);
        expect(tagMatches(key, message, good.slice(0, i) + digit + good.slice(i + 1))).toBe(false);
      }
      expect(tagMatches(new HmacKey(fromHex(KEY_HEX.replace("0", "1"))), message, good)).toBe(false);
    }
  });
});
