/**
 * Re-checks the test vectors of docs/protocol.md section 9 with Node's own HMAC and SHA-256,
 * independently of protocol/hmac.ts, and then with the firmware's implementation and core.
 */
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Controller } from "../firmware/core/controller.ts";
import { WATCHDOG_MS } from "./config-limits.ts";
import { storedConfig } from "./config.ts";
import { PATH_KINDS, testConfig } from "../firmware/core/test-fixture.ts";
import { LINK_HOST, LINK_OPS } from "./constants.ts";
import { fromHex } from "./hex.ts";
import { HmacKey, tag } from "./hmac.ts";
import { authSignatureInput, heartbeatMacInput, logEntryHashInput, logHeadInput } from "./messages.ts";

const doc = readFileSync(new URL("../docs/protocol.md", import.meta.url), "utf8");
const section = doc.slice(doc.indexOf("## 9. Test vectors"));
const value = (name: string) => section.match(new RegExp(`^ {4}${name}:\\s+(\\S+)$`, "m"))![1];
const lines = (name: string) => [...section.matchAll(new RegExp(`^ {4}${name}: (.+)$`, "gm"))].map((m) => m[1]);

const hostKey = value("hostKey");
const operatorKey = value("operatorKey");
const id = value("id");
const nonce = value("nonce");
const nodeTag = (key: string, message: string) => createHmac("sha256", Buffer.from(key, "hex")).update(message, "ascii").digest("hex").slice(0, 32);

describe("protocol test vectors (docs/protocol.md section 9)", () => {
  it("the document has every kind of vector", () => {
    expect(lines("heartbeat").length).toBeGreaterThanOrEqual(2);
    expect(lines("auth").length).toBeGreaterThanOrEqual(1);
    expect(lines("log").length).toBeGreaterThanOrEqual(2);
    expect(lines("reject").length).toBeGreaterThanOrEqual(4);
  });

  it.each(lines("heartbeat"))("heartbeat %s", (frame) => {
    const body = frame.slice(0, frame.lastIndexOf(" "));
    const mac = frame.slice(frame.lastIndexOf(" ") + 1);
    const input = heartbeatMacInput(id, nonce, body);
    expect(nodeTag(hostKey, input)).toBe(mac);
    expect(tag(new HmacKey(fromHex(hostKey)), input)).toBe(mac);
  });

  it.each(lines("auth"))("operator signature %s", (frame) => {
    const [, lineId, target, cnonce, , signature] = frame.split(" ");
    expect(lineId).toBe(id);
    const input = authSignatureInput(id, cnonce, Number(target));
    expect(nodeTag(operatorKey, input)).toBe(signature);
    expect(tag(new HmacKey(fromHex(operatorKey)), input)).toBe(signature);
  });

  it("log entries chain", () => {
    let previous = "0".repeat(32);
    for (const line of lines("log")) {
      const [index, boot, uptime, cause, level, count, prev, hash] = line.split(" ");
      expect(prev).toBe(previous);
      const input = logEntryHashInput(prev, Number(index), Number(boot), Number(uptime), cause, Number(level), Number(count));
      expect(createHash("sha256").update(input, "ascii").digest("hex").slice(0, 32)).toBe(hash);
      previous = hash;
    }
  });

  it.each(lines("head"))("log head tag %s", (line) => {
    const [vnonce, , next, head, headTag] = line.split(" ");
    const input = logHeadInput(id, vnonce, Number(next), head);
    expect(nodeTag(operatorKey, input)).toBe(headTag);
    expect(head).toBe(lines("log").at(-1)!.split(" ").at(-1));
  });

  it("the firmware core accepts the heartbeat vectors and rejects the reject vectors as stated", () => {
    const boot = () => {
      const controller = new Controller(PATH_KINDS, "0.1.0", WATCHDOG_MS);
      const config = testConfig({ id, hostKey, operators: [operatorKey, "b2".repeat(32)], measurements: ["5e".repeat(16)] });
      controller.start({ configFile: storedConfig(config), stateSlots: [undefined, undefined], entropy: "", inputs: 0, nowMs: 0 });
      controller.sessionNonce = nonce; // the vector's session
      controller.outbox = [];
      return controller;
    };
    let controller = boot();
    for (const frame of lines("heartbeat")) {
      controller.receive(LINK_HOST, frame + "\n", 10);
      expect(controller.outbox.pop()?.text).toMatch(/^ACK /);
    }
    for (const line of lines("reject")) {
      controller = boot();
      const [request, reply] = line.split(" -> ");
      const link = request.startsWith("host ") ? LINK_HOST : LINK_OPS;
      controller.receive(link, request.slice(request.indexOf(" ") + 1) + "\n", 10);
      // One request, one reply: LEVEL frames are announcements, not replies.
      const replies = controller.outbox.filter((s) => s.link === link && !s.text.startsWith("LEVEL ")).map((s) => s.text.trim());
      expect(replies, request).toEqual([reply]);
    }
  });
});
