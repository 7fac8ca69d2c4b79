/**
 * The ops commands, run as the CLI runs them (through the `guillotine ops` dispatcher), against
 * the real controller core on TCP. Output is captured from console.log/error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { run as ops } from "../../cli/commands/ops.ts";
import { serveController, ServedController, type ServedControllerServer } from "../../kit/testing/served-controller.ts";
import { CONTROLLER_ID, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { gatherSignatures } from "../quorum.ts";
import { OpsClient } from "../client.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openLink, parseEndpoint } from "../../kit/transport/endpoint.ts";
import type { Endpoint } from "../../kit/transport/endpoint.ts";

const folder = mkdtempSync(join(tmpdir(), "ops-"));
const keyFiles = OPERATOR_KEYS.map((hex, index) => {
  const path = join(folder, `op${index}.key`);
  writeFileSync(path, hex + "\n", { mode: 0o600 });
  return path;
});

let fake: ServedController;
let server: ServedControllerServer;
let out: string[];
let err: string[];

beforeEach(async () => {
  fake = new ServedController();
  server = await serveController(fake, "ops");
  out = [];
  err = [];
  vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...parts) => void err.push(parts.join(" ")));
});

afterEach(async () => {
  vi.restoreAllMocks();
  fake.stop();
  await server.close();
});

const withPort = (...argv: string[]): string[] => [...argv, "--port", server.url];

async function sign(operator: number, challengeJson: string): Promise<string> {
  out = [];
  expect(await ops(["sign", "--operator", String(operator), "--key", keyFiles[operator], "--challenge", challengeJson]), err.join("\n")).toBe(0);
  return out[0];
}

describe("guillotine ops", () => {
  it("status prints the level, paths and inputs, or JSON", async () => {
    expect(await ops(withPort("status"))).toBe(0);
    expect(out.join("\n")).toMatch(/level\s+offline \(3\), cause boot/);
    out = [];
    expect(await ops(withPort("status", "--json"))).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ id: CONTROLLER_ID, level: 3, levelName: "offline", paths: "OO", heartbeatAgeMs: null });
  });

  it("restores with a quorum: challenge, two offline signatures, restore, confirmed once heartbeats flow", async () => {
    fake.sendHeartbeats(100);
    expect(await ops(withPort("challenge", "standard", "--json"))).toBe(0);
    const challengeJson = out[0];
    expect(JSON.parse(challengeJson)).toMatchObject({ id: CONTROLLER_ID, target: 0, need: 2 });
    const auth0 = await sign(0, challengeJson);
    const auth2 = await sign(2, challengeJson);
    out = [];
    expect(await ops(withPort("restore", "0", "--auth", auth0, "--auth", auth2))).toBe(0);
    expect(out).toEqual([`${CONTROLLER_ID} restored to standard (0) (cause quorum)`]);
    expect(err).toContain("signature of operator 2 accepted: 2 of 2");
    expect(fake.level).toBe(0);
  });

  it("names the operator whose signature is wrong and exits 5", async () => {
    await ops(withPort("challenge", "standard", "--json"));
    const auth0 = await sign(0, out[0]);
    const forged = auth0.replace(/ 0 ([0-9a-f]{32})$/, " 1 $1");
    expect(await ops(withPort("restore", "standard", "--auth", auth0, "--auth", forged))).toBe(5);
    expect(err.at(-1)).toMatch(/operator 1: ERR SIGNATURE: signature wrong/);
    expect(fake.level).toBe(3);
  });

  it("refuses to restore upwards and rejects unknown level names", async () => {
    expect(await ops(withPort("restore", "immolation"))).toBe(2);
    expect(err.at(-1)).toMatch(/restore lowers the level/);
    expect(await ops(withPort("restore", "sideways"))).toBe(2);
    expect(err.at(-1)).toMatch(/unknown level "sideways"; use one of: standard \(0\)/);
  });

  it("raise needs one operator and confirms the level", async () => {
    fake.setLevel(0, "quorum");
    expect(await ops(withPort("raise", "severed", "--operator", "1", "--key", keyFiles[1]))).toBe(0);
    expect(fake.level).toBe(2);
    expect(fake.cause).toBe("operator");
    expect(await ops(withPort("raise", "decapitation", "--operator", "1", "--key", keyFiles[1]))).toBe(2);
    expect(err.at(-1)).toMatch(/use `guillotine ops arm`/);
  });

  it("arm wants the id typed back, waits for the arm input, and submits nothing without it", async () => {
    expect(await ops(withPort("arm", "decapitation"))).toBe(2);
    expect(err.at(-1)).toMatch(new RegExp(`repeat with --confirm ${CONTROLLER_ID}`));
    await ops(withPort("challenge", "decapitation", "--json"));
    const challengeJson = out[0];
    const auths = [await sign(0, challengeJson), await sign(1, challengeJson)];
    const argv = withPort("arm", "4", "--confirm", CONTROLLER_ID, "--wait-s", "1", "--auth", auths[0], "--auth", auths[1]);
    expect(await ops(argv)).toBe(1);
    expect(err.at(-1)).toMatch(/arm input was not active within 1 s: nothing was submitted/);
    expect(fake.controller.challenge?.signed).toBe(0);
    fake.arm = true;
    expect(await ops(argv)).toBe(0);
    expect(fake.level).toBe(4);
  });

  it("exports the log and verifies it; a tampered export is reported at the broken entry", async () => {
    fake.setLevel(2, "deadline");
    fake.setLevel(0, "quorum");
    const path = join(folder, "log.txt");
    const mine = ["--operator", "1", "--key", keyFiles[1]];
    expect(await ops(withPort("log", "export", "--out", path, ...mine))).toBe(0);
    expect(readFileSync(path, "utf8").split("\n").filter((line) => line.startsWith("LOG "))).toHaveLength(3);
    expect(readFileSync(path, "utf8")).toMatch(/^VOUCH ctrl-test 1 [0-9a-f]{32}\nHEAD 3 [0-9a-f]{32} [0-9a-f]{32}$/m);
    expect(await ops(["log", "verify", path, "--key", keyFiles[1]])).toBe(0);
    expect(out.at(-1)).toMatch(/3 entries 0-2 intact from the first entry ever; head [0-9a-f]{32} vouched for to operator 1/);
    expect(await ops(["log", "verify", path])).toBe(1);
    expect(out.at(-1)).toMatch(/not authenticated: give --key/);
    expect(await ops(["log", "verify", path, "--key", keyFiles[0]])).toBe(1);
    expect(out.at(-1)).toMatch(/HEAD tag does not verify with operator 1's key/);
    expect(await ops(withPort("log", "verify", path, ...mine))).toBe(0);
    writeFileSync(path, readFileSync(path, "utf8").replace(" deadline 2 ", " deadline 1 "));
    expect(await ops(["log", "verify", path, "--key", keyFiles[1]])).toBe(1);
    expect(out.at(-1)).toMatch(/chain BROKEN at entry 2: entry 2 says prev/);
    expect(await ops(withPort("log", "verify", ...mine))).toBe(0);
    expect(await ops(withPort("log", "verify"))).toBe(2);
  });

  it("watch prints status changes and LEVEL frames as they happen", async () => {
    const watching = ops(withPort("watch", "--interval-ms", "50", "--duration-s", "1"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    fake.setLevel(5, "quorum");
    expect(await watching).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/link up/);
    expect(text).toMatch(/offline \(3\) cause boot, paths OO/);
    expect(text).toMatch(/LEVEL immolation \(5\), cause quorum/);
    expect(text).toMatch(/immolation \(5\) cause quorum/);
  });

  it("reports a silent port as unreachable with exit 4", async () => {
    const silent = await serveController(fake, "ops");
    await silent.close();
    expect(await ops(["status", "--port", silent.url])).toBe(4);
    expect(err.at(-1)).toMatch(/cannot connect to tcp:\/\/127.0.0.1:[0-9]+/);
  });
});

describe("gatherSignatures from pasted lines", () => {
  it("skips junk, duplicates and other challenges until the quorum is pasted", async () => {
    const client = await OpsClient.start(await openLink(parseEndpoint(server.url) as Endpoint), systemTimers, 2000, server.url);
    const pasted: string[] = [];
    const input = new Readable({ read() {} });
    const log = (line: string): void => {
      if (!line.startsWith("paste")) return;
      const challenge = { id: CONTROLLER_ID, nonce: fake.controller.challenge?.nonce, target: 0 };
      void (async () => {
        pasted.push(await sign(0, JSON.stringify(challenge)), await sign(1, JSON.stringify(challenge)));
        input.push(`junk\n${pasted[0]}\n${pasted[0]}\n\n${pasted[1]}\n`);
      })();
    };
    const lines = await gatherSignatures(client, 0, [], input, log);
    expect(lines.map((line) => line.operator)).toEqual([0, 1]);
    await client.close();
  });
});
