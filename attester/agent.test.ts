/**
 * The attester against the real controller core (kit/testing/served-controller.ts) over a real
 * socat pty pair: the same serial path a real UART takes. Real timers, short periods.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ServedController } from "../kit/testing/served-controller.ts";
import { CONTROLLER_ID, HOST_KEY, GOOD_MEASUREMENT } from "../protocol/testing/keys.ts";
import { openPtyPair } from "../simulator/io/pty-pair.ts";
import type { PtyPair } from "../simulator/io/pty-pair.ts";
import { systemTimers } from "../kit/timers.ts";
import { openSerialLink, openSerialStream } from "../kit/transport/serial.ts";
import { Agent } from "./agent.ts";
import type { AgentConfig } from "./config.ts";
import { sendRequest } from "./request-client.ts";
import { listenForRequests } from "./request-server.ts";
import { waitFor } from "../kit/testing/wait-for.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(measurement = GOOD_MEASUREMENT) {
  const folder = mkdtempSync(join(tmpdir(), "agent-"));
  const pair: PtyPair = await openPtyPair({ directory: folder, name: "host" });
  const fake = new ServedController({ level: 0 });
  const controllerPort: Duplex = await openSerialStream(pair.boardPath, 115200);
  fake.attach(controllerPort, "host");
  const config: AgentConfig = {
    controllerId: CONTROLLER_ID, port: pair.peerPath, baud: 115200, heartbeatPeriodMs: 20, keyFile: "unused",
    socketPath: join(folder, "agent.sock"), measureEveryMs: 60000, commandTimeoutMs: 1000,
    measurements: { files: [], commands: [], tpmPcrs: [] },
  };
  const logs: string[] = [];
  const agent = new Agent(config, HOST_KEY, {
    timers: systemTimers,
    openLink: () => openSerialLink(pair.peerPath, 115200),
    measure: async () => ({ digest: measurement, records: [] }),
    log: (line) => logs.push(line),
  });
  await agent.start();
  cleanups.push(() => fake.stop(), () => pair.close(), () => void controllerPort.destroy(), () => agent.stop());
  return { agent, fake, logs, pair, config, folder, controllerPort };
}

describe("Agent over a pty with the controller core", () => {
  it("syncs, sends heartbeats the controller accepts, and never replays a sequence number", async () => {
    const { fake } = await setUp();
    await waitFor(() => fake.heartbeats >= 10, "10 accepted heartbeats");
    const refused = fake.received.filter((frame) => frame.text.startsWith("HB")).length - fake.heartbeats;
    expect(refused).toBe(0);
    expect(fake.received[0].text).toBe("SYNC");
  });

  it("re-syncs after ERR REPLAY and after a controller reboot", async () => {
    const { fake, logs } = await setUp();
    await waitFor(() => fake.heartbeats >= 3, "first heartbeats");
    // As if the controller had accepted a thousand more: the agent's next ones are replays.
    fake.controller.lastSeq += 1000;
    await waitFor(() => fake.lastSeq > 1003 && fake.heartbeats >= 6, "heartbeats after the replay re-sync");
    fake.reboot();
    const before = fake.heartbeats;
    await waitFor(() => fake.heartbeats >= before + 3, "heartbeats in the new session");
    expect(fake.lastSeq).toBeLessThan(100);
    expect(logs.filter((line) => line.startsWith("session ")).length).toBeGreaterThanOrEqual(2);
  });

  it("forwards a hypervisor request from the socket and answers once the ACK confirms it", async () => {
    const { agent, fake, config } = await setUp();
    const server = await listenForRequests(config.socketPath, (level, reason) => agent.request(level, reason));
    cleanups.push(() => void server.close());
    await waitFor(() => fake.heartbeats >= 1, "first heartbeat");
    const result = await sendRequest(config.socketPath, 2, "model opened a raw socket", 5000);
    expect(result).toEqual({ ok: true, controllerLevel: 2 });
    expect(fake.level).toBe(2);
    expect(fake.cause).toBe("host");
    expect(await sendRequest(config.socketPath, 5, "", 5000)).toMatchObject({ ok: false, error: expect.stringContaining("at most for offline") });
  });

  it("keeps running when the port vanishes, and resumes heartbeats when it returns", async () => {
    const context = await setUp();
    const { fake, logs, folder } = context;
    await waitFor(() => fake.heartbeats >= 3, "first heartbeats");
    context.controllerPort.destroy();
    await context.pair.close();
    await waitFor(() => logs.some((line) => line.includes("down")), "link down in the log");
    const pair = await openPtyPair({ directory: folder, name: "host" });
    cleanups.push(() => pair.close());
    const port = await openSerialStream(pair.boardPath, 115200);
    cleanups.push(() => void port.destroy());
    const before = fake.heartbeats;
    fake.attach(port, "host");
    await waitFor(() => fake.heartbeats >= before + 3, "heartbeats after the port returned");
    expect(context.agent.describe()).toMatch(new RegExp(`^controller ${CONTROLLER_ID} at standard`));
  });

  it("keeps sending a refused measurement (the controller decides) and logs the refusal once", async () => {
    const { fake, logs } = await setUp("ff".repeat(16));
    await waitFor(() => fake.received.filter((frame) => frame.text.startsWith("HB")).length >= 5, "refused heartbeats");
    expect(fake.heartbeats).toBe(0);
    expect(fake.level).toBe(3);
    expect(logs.filter((line) => line === "controller refused a frame: ERR MEASUREMENT")).toHaveLength(1);
  });

  it("logs a flood of garbage from the controller once per 10 s, and keeps heartbeating", async () => {
    const { fake, logs, controllerPort } = await setUp();
    await waitFor(() => fake.heartbeats >= 3, "first heartbeats");
    for (let line = 0; line < 50; line++) controllerPort.write(`GARBAGE ${line} not a frame\n`);
    const before = fake.heartbeats;
    await waitFor(() => fake.heartbeats >= before + 5, "heartbeats after the garbage");
    expect(logs.filter((line) => line.startsWith("ignored a line from the controller")).length).toBe(1);
  });

  it("logs a host link that stays down once per 10 s while it retries", async () => {
    const { fake, logs, pair } = await setUp();
    await waitFor(() => fake.heartbeats >= 3, "first heartbeats");
    await pair.close();
    await new Promise((resolve) => setTimeout(resolve, 3000)); // backoff reaches 2 s: several retries
    // Retried at 100, 200, 400, 800 and 1600 ms backoff: the missing device is logged once.
    expect(logs.filter((line) => line.includes(" down: ") && line.includes("no such device"))).toHaveLength(1);
  });
});
