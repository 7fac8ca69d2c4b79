/**
 * End to end against the simulated board running the real firmware bundle: provisioning over
 * the maintenance console, the attester on the host-link pty, quorum restore, a hypervisor
 * request, a heartbeat outage, the event log and the MQTT bridge on the ops-link pty.
 *
 * Needs dist/firmware-PICO.js (`make build`, run by `make test` before the tests), or a bundle
 * named by GUILLOTINE_E2E_FIRMWARE. Without one the suite is skipped, loudly.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSimulator } from "../simulator/io/sim-process.ts";
import type { RunningSimulator } from "../simulator/io/sim-process.ts";
import { Agent } from "./agent.ts";
import type { AgentConfig } from "./config.ts";
import { measure } from "./measure.ts";
import { run as ops } from "../cli/commands/ops.ts";
import { run as provision } from "../ops/provision/command.ts";
import { createKeyFile } from "../ops/keys/create-key.ts";
import { readKeyFile } from "../kit/key-file.ts";
import { entryHash, type LogEntry } from "../ops/log-chain.ts";
import { formatLogExport, parseLogExport } from "../ops/log-file.ts";
import { startMosquitto } from "../kit/testing/mosquitto.ts";
import { systemTimers } from "../kit/timers.ts";
import { openSerialLink } from "../kit/transport/serial.ts";
import { waitFor } from "../kit/testing/wait-for.ts";

const FIRMWARE = process.env.GUILLOTINE_E2E_FIRMWARE ?? join(import.meta.dirname, "../dist/firmware-PICO.js");
if (!existsSync(FIRMWARE)) throw new Error(`end-to-end tests need ${FIRMWARE}: run \`make build\` (make test does)`);

const ID = "sim-e2e";
const folder = mkdtempSync(join(tmpdir(), "e2e-"));
const key = (name: string): string => join(folder, `${name}.key`);

describe("the host tools against the simulated board running the real firmware", () => {
  let sim: RunningSimulator;
  let agent: Agent | undefined;
  let out: string[] = [];
  const errors: string[] = [];
  let config: AgentConfig;

  /** Runs `guillotine ops ...` in process; returns the exit code, output in `out`. */
  async function opsCommand(...argv: string[]): Promise<number> {
    out = [];
    return ops([...argv, "--port", sim.endpoints.ops]);
  }

  async function status(): Promise<{ level: number; cause: string; paths: string; heartbeatAgeMs: number | null }> {
    expect(await opsCommand("status", "--json"), errors.at(-1)).toBe(0);
    return JSON.parse(out[0]);
  }

  async function startAgent(): Promise<Agent> {
    const started = new Agent(config, readKeyFile(key("host")), {
      timers: systemTimers, openLink: () => openSerialLink(sim.endpoints.host, 115200),
      measure: () => measure(config.measurements, config.commandTimeoutMs), log: () => undefined,
    });
    await started.start();
    return started;
  }

  /** A fresh challenge for `level`, signed offline by each of `operators`; the AUTH lines. */
  async function signedChallenge(level: string, operators: number[]): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one challenge a second
    expect(await opsCommand("challenge", level, "--json"), errors.at(-1)).toBe(0);
    const challenge = out[0];
    const auths: string[] = [];
    for (const operator of operators) {
      out = [];
      expect(await ops(["sign", "--operator", String(operator), "--key", key(`op${operator}`), "--challenge", challenge])).toBe(0);
      auths.push(out[0]);
    }
    return auths;
  }

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...parts) => void errors.push(parts.join(" ")));
    for (const name of ["host", "op0", "op1", "op2"]) createKeyFile(key(name));
    sim = await startSimulator({ boardId: "PICO", loadFile: FIRMWARE, seed: 7 });
    const measured = join(folder, "kernel.img");
    writeFileSync(measured, "the hypervisor's kernel\n");
    config = {
      controllerId: ID, port: sim.endpoints.host, baud: 115200, heartbeatPeriodMs: 100, keyFile: key("host"),
      socketPath: join(folder, "agent.sock"), measureEveryMs: 60000, commandTimeoutMs: 5000,
      measurements: { files: [measured], commands: [], tpmPcrs: [] },
    };
  });

  afterAll(async () => {
    await agent?.stop();
    await sim?.close();
    vi.restoreAllMocks();
  });

  it("provisions over the console in maintenance mode; the controller boots offline", async () => {
    const digest = (await measure(config.measurements, 5000)).digest;
    const template = join(folder, "controller.json");
    writeFileSync(template, JSON.stringify({ version: 1, id: ID, quorum: 2, measurements: [digest] }));
    sim.board.press("maintenance", true);
    sim.board.reset();
    const argv = ["--config", template, "--port", sim.endpoints.console, "--host-key", key("host"), "--backup-dir", folder];
    for (const name of ["op0", "op1", "op2"]) argv.push("--operator-key", key(name));
    expect(await provision(argv)).toBe(0);
    sim.board.press("maintenance", false);
    sim.board.reset();
    await waitFor(async () => (await opsCommand("status", "--json")) === 0, "the controller to answer");
    expect(JSON.parse(out[0])).toMatchObject({ id: ID, level: 3 });
  });

  it("accepts the attester's heartbeats, and a quorum restore closes the paths", async () => {
    agent = await startAgent();
    await waitFor(async () => (await status()).heartbeatAgeMs !== null, "an accepted heartbeat");
    expect(await opsCommand("challenge", "standard", "--json")).toBe(0);
    const challenge = out[0];
    const auths: string[] = [];
    for (const operator of [0, 2]) {
      out = [];
      expect(await ops(["sign", "--operator", String(operator), "--key", key(`op${operator}`), "--challenge", challenge])).toBe(0);
      auths.push(out[0]);
    }
    expect(await opsCommand("restore", "standard", "--auth", auths[0], "--auth", auths[1])).toBe(0);
    expect(out).toEqual([`${ID} restored to standard (0) (cause quorum)`]);
    await waitFor(async () => /^CC/.test((await status()).paths), "network and power paths closed");
  });

  it("severs the network when the hypervisor asks, confirmed by the controller's ACK", async () => {
    expect(await (agent as Agent).request(2, "e2e")).toEqual({ ok: true, controllerLevel: 2 });
    await waitFor(async () => (await status()).paths.startsWith("OC"), "network open, power closed");
  });

  it("trips to offline on its own when heartbeats stop, and accepts them again after", async () => {
    await (agent as Agent).stop();
    await waitFor(async () => (await status()).level === 3, "offline after the deadline", 8000);
    expect((await status()).cause).toBe("deadline");
    agent = await startAgent();
    await waitFor(async () => ((await status()).heartbeatAgeMs ?? Infinity) < 1000, "heartbeats accepted again");
  });

  it("refuses a restore with one signature, and a replayed restore", async () => {
    const lone = await signedChallenge("standard", [1]);
    expect(await opsCommand("restore", "standard", "--auth", lone[0])).toBe(1);
    expect((await status()).level).toBe(3);
    const pair = await signedChallenge("standard", [0, 1]);
    expect(await opsCommand("restore", "standard", "--auth", pair[0], "--auth", pair[1])).toBe(0);
    expect(await (agent as Agent).request(3, "e2e: trip before the replay")).toEqual({ ok: true, controllerLevel: 3 });
    expect(await opsCommand("restore", "standard", "--auth", pair[0], "--auth", pair[1])).toBe(5);
    expect(errors.at(-1)).toMatch(/ERR CHALLENGE/);
    expect((await status()).level).toBe(3);
  });

  it("a restore to standard while no heartbeat arrives is reported unconfirmed, leaves every path open, then trips again", async () => {
    await (agent as Agent).stop();
    agent = undefined;
    const auths = await signedChallenge("standard", [0, 2]);
    expect(await opsCommand("restore", "standard", "--auth", auths[0], "--auth", auths[1])).toBe(1);
    expect(errors.at(-1)).toMatch(/no heartbeat was accepted/);
    const seen = new Set<string>();
    const started = Date.now();
    while (Date.now() - started < 600) {
      seen.add((await status()).paths.slice(0, 2));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...seen]).toEqual(["OO"]);
    await waitFor(async () => (await status()).level >= 2, "the deadline to trip the restored controller");
    expect((await status()).cause).toBe("deadline");
  });

  it("exports a log vouched for by the controller; a rewritten export fails, against the file and against the controller", async () => {
    const path = join(folder, "log.txt");
    const mine = ["--operator", "1", "--key", key("op1")];
    expect(await opsCommand("log", "export", "--out", path, ...mine)).toBe(0);
    expect(await ops(["log", "verify", path, "--key", key("op1")])).toBe(0);
    expect(out.at(-1)).toMatch(/intact from the first entry ever; head [0-9a-f]{32} vouched for to operator 1/);
    expect(await ops(["log", "verify", path])).toBe(1);
    expect(out.at(-1)).toMatch(/not authenticated/);
    expect(await ops(["log", "verify", path, "--key", key("op2")])).toBe(1);
    expect(await opsCommand("log", "verify", ...mine)).toBe(0);
    expect(out.at(-1)).toMatch(/intact from the first entry ever/);
    // The forger changes a cause and recomputes every prev and the head: only the tag catches it.
    const exported = parseLogExport(readFileSync(path, "latin1"));
    if ("error" in exported) throw new Error(exported.error);
    const forged: LogEntry[] = [];
    for (const entry of exported.entries) forged.push({ ...entry, cause: entry.cause === "quorum" ? "operator" : entry.cause, prev: forged.length === 0 ? entry.prev : entryHash(forged.at(-1)!) });
    const end = { next: exported.end.next, head: entryHash(forged.at(-1)!) };
    const rewritten = join(folder, "rewritten.txt");
    writeFileSync(rewritten, formatLogExport(ID, { entries: forged, end, vouch: exported.vouch && { ...exported.vouch, head: { ...exported.vouch.head, head: end.head } } }, new Date()));
    expect(await ops(["log", "verify", rewritten, "--key", key("op1")])).toBe(1);
    expect(out.at(-1)).toMatch(/HEAD tag does not verify/);
    expect(await opsCommand("log", "verify", rewritten, ...mine)).toBe(1);
    expect(out.at(-1)).toMatch(/chain BROKEN|vouched for head/);
  });

  it("bridges the controller to MQTT", async () => {
    const bridging = opsCommand("bridge", "--listen-port", "0", "--interval-ms", "200", "--duration-s", "3");
    await waitFor(() => out.some((line) => line.startsWith("embedded MQTT broker at ")), "the broker URL");
    const url = (out.find((line) => line.startsWith("embedded MQTT broker at ")) as string).split(" ").at(-1) as string;
    const client = await connectAsync(url, { reconnectPeriod: 0 }, false);
    const messages: string[] = [];
    client.on("message", (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
    await client.subscribeAsync(`guillotine/${ID}/#`);
    await waitFor(() => messages.some((message) => message.startsWith(`guillotine/${ID}/state `)), "retained state");
    expect(messages).toContain(`guillotine/${ID}/availability online`);
    expect(messages).toContain(`guillotine/${ID}/bridge online`);
    await client.endAsync();
    expect(await bridging).toBe(0);
  });

  it("publishes a trip to a real Mosquitto", async () => {
    agent = await startAgent();
    const auths = await signedChallenge("standard", [1, 2]);
    expect(await opsCommand("restore", "standard", "--auth", auths[0], "--auth", auths[1])).toBe(0);
    const mosquitto = await startMosquitto();
    try {
      // Generous: on a loaded machine the bridge may take seconds to open the port and connect.
      const bridging = opsCommand("bridge", "--broker", mosquitto.url, "--interval-ms", "200", "--duration-s", "10");
      const client = await connectWithRetry(mosquitto.url);
      const states: { level: number; cause: string }[] = [];
      client.on("message", (topic, payload) => {
        if (topic === `guillotine/${ID}/state`) states.push(JSON.parse(payload.toString()));
      });
      await client.subscribeAsync(`guillotine/${ID}/state`);
      await waitFor(() => states.some((state) => state.level === 0), `state at standard on Mosquitto (bridge said: ${errors.slice(-3).join(" | ")})`, 9000);
      sim.board.press("estop", true);
      await waitFor(() => states.some((state) => state.level === 3 && state.cause === "estop"), "the e-stop trip on Mosquitto");
      sim.board.press("estop", false);
      await client.endAsync();
      expect(await bridging).toBe(0);
    } finally {
      mosquitto.stop();
    }
  });
});

/** Mosquitto takes a moment to listen after it starts. */
async function connectWithRetry(url: string): Promise<Awaited<ReturnType<typeof connectAsync>>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 }, false);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
