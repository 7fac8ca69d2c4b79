/**
 * The MQTT bridge against an embedded aedes and against a real Mosquitto with passwords and
 * TLS (started and stopped here), read back with mqtt.js and with mosquitto_sub. The
 * controller is the real core on TCP (kit/testing/served-controller.ts); the bridge runs in process, or as a child
 * process where its death matters.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import type { IClientOptions } from "mqtt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { run as ops } from "../../cli/commands/ops.ts";
import { serveController, ServedController, type ServedControllerServer } from "../../kit/testing/served-controller.ts";
import { CONTROLLER_ID } from "../../protocol/testing/keys.ts";
import { freePort, startMosquitto } from "../../kit/testing/mosquitto.ts";
import { startEmbeddedBroker } from "./broker.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const GUILLOTINE = join(import.meta.dirname, "../../bin/guillotine.mjs");
const BASE = `guillotine/${CONTROLLER_ID}`;
const NODE = `guillotine_${CONTROLLER_ID.replace(/-/g, "_")}`;

/** Collects every message under `topics` as "topic payload" lines. */
async function subscribe(url: string, topics: string[], options: IClientOptions = {}): Promise<{ messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  for (let attempt = 0; ; attempt++) {
    try {
      const client = await connectAsync(url, { reconnectPeriod: 0, ...options }, false);
      client.on("message", (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
      await client.subscribeAsync(topics, { qos: 1 });
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

let fake: ServedController;
let controller: ServedControllerServer;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeEach(async () => {
  fake = new ServedController();
  controller = await serveController(fake, "ops");
  cleanups.push(() => (fake.stop(), controller.close()));
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const payloads = (messages: string[], topic: string) => messages.filter((m) => m.startsWith(`${topic} `)).map((m) => m.slice(topic.length + 1));
const statesOf = (messages: string[], base = BASE) => payloads(messages, `${base}/state`).map((text) => JSON.parse(text));

describe("ops bridge with the embedded aedes broker", () => {
  it("publishes named paths on change and on refresh, availability, events and Home Assistant discovery", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const port = await freePort();
    const bridging = ops(["bridge", "--port", controller.url, "--listen-port", String(port), "--interval-ms", "100", "--refresh-s", "1", "--duration-s", "3"]);
    const subscriber = await subscribe(`mqtt://127.0.0.1:${port}`, [`${BASE}/#`, "homeassistant/#"]);
    cleanups.push(() => subscriber.close().catch(() => undefined));
    await waitFor(() => statesOf(subscriber.messages).length > 0, "a state message");
    // The paths close once the controller is at standard with heartbeats flowing.
    fake.sendHeartbeats(100);
    fake.setLevel(0, "quorum");
    await waitFor(() => statesOf(subscriber.messages).some((state) => state.level === 0 && state.paths.net0 === "closed" && state.paths.power0 === "closed"), "state at standard, paths closed");
    const atStandard = statesOf(subscriber.messages).length;
    // The periodic refresh publishes again, whether or not anything changed.
    await waitFor(() => statesOf(subscriber.messages).length > atStandard, "a periodic refresh", 2500);
    // A retained copy and the live message may both arrive when the subscription races the publish.
    expect(payloads(subscriber.messages, `${BASE}/availability`).at(-1)).toBe("online");
    expect(payloads(subscriber.messages, `${BASE}/bridge`)).toContain("online");
    const events = payloads(subscriber.messages, `${BASE}/events`).map((text) => JSON.parse(text));
    expect(events).toContainEqual(expect.objectContaining({ type: "level", level: 0, levelName: "standard", cause: "quorum" }));
    expect(statesOf(subscriber.messages).at(-1)).toMatchObject({ id: CONTROLLER_ID, levelName: "standard", cause: "quorum", boot: expect.any(Number), causeBoot: expect.any(Number), paths: { net0: "closed", power0: "closed" } });

    const level = JSON.parse(payloads(subscriber.messages, `homeassistant/sensor/${NODE}/level/config`)[0]);
    expect(level).toMatchObject({
      state_topic: `${BASE}/state`, value_template: "{{ value_json.levelName }}", unique_id: `${NODE}_level`, default_entity_id: `sensor.${NODE}_level`,
      availability: [{ topic: `${BASE}/bridge` }, { topic: `${BASE}/availability` }], availability_mode: "all",
      device: { identifiers: [NODE], name: `Guillotine ${CONTROLLER_ID}`, model: "Espruino Pico" },
    });
    for (const object of ["sensor/" + NODE + "/cause", `sensor/${NODE}/path_net0`, `sensor/${NODE}/path_power0`, `sensor/${NODE}/heartbeat_age`, `binary_sensor/${NODE}/estop`, `binary_sensor/${NODE}/arm`]) {
      expect(payloads(subscriber.messages, `homeassistant/${object}/config`), object).toHaveLength(1);
    }
    expect(JSON.parse(payloads(subscriber.messages, `homeassistant/sensor/${NODE}/path_power0/config`)[0]).value_template).toBe("{{ value_json.paths['power0'] }}");
    expect(await bridging).toBe(0);
    expect(payloads(subscriber.messages, `${BASE}/bridge`).at(-1)).toBe("offline");
  });

  it("tells a dead bridge (its last will) from a silent controller (availability)", async () => {
    const broker = await startEmbeddedBroker(0);
    cleanups.push(() => broker.close());
    const subscriber = await subscribe(broker.url, [`${BASE}/#`]);
    cleanups.push(() => subscriber.close().catch(() => undefined));
    const bridge = startBridgeProcess(["--port", controller.url, "--broker", broker.url, "--interval-ms", "100", "--no-discovery"]);
    cleanups.push(() => bridge.child.kill("SIGKILL"));
    await waitFor(() => payloads(subscriber.messages, `${BASE}/availability`).includes("online"), `availability online (bridge said: ${bridge.output()})`);
    await controller.close();
    await waitFor(() => payloads(subscriber.messages, `${BASE}/availability`).at(-1) === "offline", "the controller offline");
    expect(payloads(subscriber.messages, `${BASE}/bridge`)).toContain("online");
    expect(payloads(subscriber.messages, `${BASE}/bridge`)).not.toContain("offline");
    bridge.child.kill("SIGKILL");
    await waitFor(() => payloads(subscriber.messages, `${BASE}/bridge`).at(-1) === "offline", "the bridge's last will");
  });

  it("exits 4 with a clear message when the broker is down", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((text) => void errors.push(String(text)));
    const port = await freePort();
    expect(await ops(["bridge", "--port", controller.url, "--broker", `mqtt://127.0.0.1:${port}`])).toBe(4);
    expect(errors.at(-1)).toMatch(new RegExp(`cannot reach the MQTT broker at mqtt://127.0.0.1:${port}: .*Is it running\\?`));
  });

  it("refuses a topic prefix with wildcards before opening anything", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((text) => void errors.push(String(text)));
    expect(await ops(["bridge", "--port", controller.url, "--mqtt-prefix", "site/#"])).toBe(2);
    expect(errors.at(-1)).toMatch(/--mqtt-prefix must be topic levels/);
  });
});

describe("ops bridge with a real Mosquitto: passwords and TLS, no anonymous clients", () => {
  const USER = { username: "bridge", password: "correct horse" };

  it("publishes under its prefix over TLS with a password, read back with mosquitto_sub, and the will on a crash", async () => {
    const mosquitto = await startMosquitto(USER);
    cleanups.push(() => mosquitto.stop());
    const ca = mosquitto.caFile as string;
    const folder = mkdtempSync(join(tmpdir(), "bridge-"));
    const passwordFile = join(folder, "password");
    writeFileSync(passwordFile, USER.password + "\n", { mode: 0o600 });
    const base = `site1/guillotine/${CONTROLLER_ID}`;
    const watcher = await subscribe(mosquitto.url, [`${base}/#`, `homeassistant/sensor/${NODE}/#`], { ...USER, ca: readFileSync(ca) });
    cleanups.push(() => watcher.close().catch(() => undefined));

    const bridge = startBridgeProcess(["--port", controller.url, "--broker", mosquitto.url, "--mqtt-username", USER.username,
      "--mqtt-password-file", passwordFile, "--mqtt-ca", ca, "--mqtt-prefix", "site1/guillotine", "--interval-ms", "100"]);
    cleanups.push(() => bridge.child.kill("SIGKILL"));
    await waitFor(() => statesOf(watcher.messages, base).length > 0, `state via Mosquitto (bridge said: ${bridge.output()})`);

    const retained = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(mosquitto.port), "-u", USER.username, "-P", USER.password, "--cafile", ca,
      "-t", `${base}/state`, "-t", `${base}/availability`, "-t", `${base}/bridge`, "-t", `homeassistant/sensor/${NODE}/level/config`,
      "-v", "-C", "4", "-W", "5", "--retained-only"]);
    let text = "";
    retained.stdout.on("data", (chunk) => (text += chunk));
    expect(await new Promise((resolve) => retained.on("exit", resolve))).toBe(0);
    expect(text).toContain(`${base}/availability online`);
    expect(text).toContain(`${base}/bridge online`);
    expect(text).toContain(`homeassistant/sensor/${NODE}/level/config {`);
    const stateLine = text.split("\n").find((line) => line.startsWith(`${base}/state `)) as string;
    expect(JSON.parse(stateLine.slice(stateLine.indexOf(" ") + 1))).toMatchObject({ id: CONTROLLER_ID, level: 3, levelName: "offline", paths: { net0: "open" } });

    bridge.child.kill("SIGKILL");
    await waitFor(() => payloads(watcher.messages, `${base}/bridge`).at(-1) === "offline", "the last will via Mosquitto");
  });

  it("exits 4 naming the credentials when Mosquitto refuses them, and an anonymous client is refused too", async () => {
    const mosquitto = await startMosquitto(USER);
    cleanups.push(() => mosquitto.stop());
    const folder = mkdtempSync(join(tmpdir(), "bridge-"));
    const passwordFile = join(folder, "password");
    writeFileSync(passwordFile, "wrong\n", { mode: 0o600 });
    const bridge = startBridgeProcess(["--port", controller.url, "--broker", mosquitto.url, "--mqtt-username", USER.username,
      "--mqtt-password-file", passwordFile, "--mqtt-ca", mosquitto.caFile as string]);
    expect(await new Promise((resolve) => bridge.child.on("exit", resolve))).toBe(4);
    expect(bridge.output()).toMatch(/cannot reach the MQTT broker at mqtts:\/\/127\.0\.0\.1:[0-9]+: .*[Nn]ot authori[sz]ed.*check --mqtt-username and --mqtt-password-file/);
    await expect(connectAsync(mosquitto.url, { reconnectPeriod: 0, ca: readFileSync(mosquitto.caFile as string) }, false)).rejects.toThrow(/[Nn]ot authori[sz]ed/);
  });
});
