/**
 * The MQTT bridge against an embedded aedes and against a real Mosquitto (started and stopped
 * here), read back with mqtt.js and with mosquitto_sub. The controller is the protocol-level
 * fake on TCP; the bridge runs in process, or as a child process where its death matters.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { run as ops } from "../../host/cli/commands/ops.ts";
import { FakeController } from "../../host/testing/fake-controller.ts";
import { serveFakeController } from "../../host/testing/fake-controller-server.ts";
import type { FakeControllerServer } from "../../host/testing/fake-controller-server.ts";
import { CONTROLLER_ID, HOST_KEY, GOOD_MEASUREMENT, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { freePort, startMosquitto } from "../../host/testing/mosquitto.ts";
import { startEmbeddedBroker } from "./broker.ts";

const GUILLOTINE = join(import.meta.dirname, "../../bin/guillotine.mjs");
const TOPICS = `guillotine/${CONTROLLER_ID}/#`;

async function waitFor(check: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Collects every message under guillotine/<id>/ as "topic payload" lines. */
async function subscribe(url: string): Promise<{ messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await connectAsync(url, { reconnectPeriod: 0 }, false);
      client.on("message", (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
      await client.subscribeAsync(TOPICS, { qos: 1 });
      return { messages, close: () => client.endAsync() };
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function startBridgeProcess(argv: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [GUILLOTINE, "ops", "bridge", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

let fake: FakeController;
let controller: FakeControllerServer;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeEach(async () => {
  fake = new FakeController({ id: CONTROLLER_ID, hostKeyHex: HOST_KEY, operatorKeysHex: OPERATOR_KEYS, quorum: 2, measurements: [GOOD_MEASUREMENT] });
  controller = await serveFakeController(fake, "ops");
  cleanups.push(() => controller.close());
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const stateOf = (messages: string[]) => messages.filter((m) => m.includes("/state ")).map((m) => JSON.parse(m.slice(m.indexOf(" ") + 1)));

describe("ops bridge with the embedded aedes broker", () => {
  it("starts its own broker, publishes retained state, events and the online flag", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const port = await freePort();
    const bridging = ops(["bridge", "--port", controller.url, "--listen-port", String(port), "--interval-ms", "100", "--duration-s", "2"]);
    const subscriber = await subscribe(`mqtt://127.0.0.1:${port}`);
    cleanups.push(() => subscriber.close().catch(() => undefined));
    await waitFor(() => stateOf(subscriber.messages).length > 0, "a state message");
    fake.setLevel(0, "quorum");
    fake.flushBroadcasts();
    await waitFor(() => stateOf(subscriber.messages).some((state) => state.level === 0), "state at standard");
    expect(subscriber.messages).toContain(`guillotine/${CONTROLLER_ID}/online 1`);
    const events = subscriber.messages.filter((m) => m.includes("/events ")).map((m) => JSON.parse(m.slice(m.indexOf(" ") + 1)));
    expect(events).toContainEqual(expect.objectContaining({ type: "level", level: 0, levelName: "standard", cause: "quorum" }));
    expect(stateOf(subscriber.messages).at(-1)).toMatchObject({ id: CONTROLLER_ID, levelName: "standard", paths: "CC" });
    expect(await bridging).toBe(0);
  });

  it("leaves online \"0\" through its last will when the bridge process is killed", async () => {
    const broker = await startEmbeddedBroker(0);
    cleanups.push(() => broker.close());
    const subscriber = await subscribe(broker.url);
    cleanups.push(() => subscriber.close().catch(() => undefined));
    const bridge = startBridgeProcess(["--port", controller.url, "--broker", broker.url, "--interval-ms", "100"]);
    cleanups.push(() => bridge.child.kill("SIGKILL"));
    await waitFor(() => subscriber.messages.includes(`guillotine/${CONTROLLER_ID}/online 1`), `online 1 (bridge said: ${bridge.output()})`);
    bridge.child.kill("SIGKILL");
    await waitFor(() => subscriber.messages.at(-1) === `guillotine/${CONTROLLER_ID}/online 0`, "the last will");
  });

  it("exits 4 with a clear message when the broker is down", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((text) => void errors.push(String(text)));
    const port = await freePort();
    expect(await ops(["bridge", "--port", controller.url, "--broker", `mqtt://127.0.0.1:${port}`])).toBe(4);
    expect(errors.at(-1)).toMatch(new RegExp(`cannot reach the MQTT broker at mqtt://127.0.0.1:${port}: .*Is it running\\?`));
  });
});

describe("ops bridge with a real Mosquitto", () => {
  it("publishes retained state and online, read back with mosquitto_sub, and the will on a crash", async () => {
    const mosquitto = await startMosquitto();
    cleanups.push(() => mosquitto.stop());
    const { port, url } = mosquitto;
    const watcher = await subscribe(url);
    cleanups.push(() => watcher.close().catch(() => undefined));

    const bridge = startBridgeProcess(["--port", controller.url, "--broker", url, "--interval-ms", "100"]);
    cleanups.push(() => bridge.child.kill("SIGKILL"));
    await waitFor(() => stateOf(watcher.messages).length > 0, `state via Mosquitto (bridge said: ${bridge.output()})`);

    const retained = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(port), "-t", `guillotine/${CONTROLLER_ID}/state`, "-t", `guillotine/${CONTROLLER_ID}/online`, "-v", "-C", "2", "-W", "5", "--retained-only"]);
    let text = "";
    retained.stdout.on("data", (chunk) => (text += chunk));
    const code = await new Promise((resolve) => retained.on("exit", resolve));
    expect(code).toBe(0);
    expect(text).toContain(`guillotine/${CONTROLLER_ID}/online 1`);
    const stateLine = text.split("\n").find((line) => line.startsWith(`guillotine/${CONTROLLER_ID}/state `)) as string;
    expect(JSON.parse(stateLine.slice(stateLine.indexOf(" ") + 1))).toMatchObject({ id: CONTROLLER_ID, level: 3, levelName: "offline" });

    bridge.child.kill("SIGKILL");
    await waitFor(() => watcher.messages.at(-1) === `guillotine/${CONTROLLER_ID}/online 0`, "the last will via Mosquitto");
  });
});
