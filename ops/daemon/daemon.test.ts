/**
 * The ops daemon end to end, against the simulated board running the real firmware: it holds
 * the ops-link pty while ops commands (several at once) go through its Unix socket, while it
 * bridges to MQTT, and while a real headless Chromium shows its web view. The screenshot is
 * kept at artifacts/web-view.png.
 *
 * Needs dist/firmware-PICO.js (`make build`; make test builds it first) and Chromium
 * (`make setup` installs Debian's chromium).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectAsync } from "mqtt";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSimulator } from "../../simulator/io/sim-process.ts";
import type { RunningSimulator } from "../../simulator/io/sim-process.ts";
import { Agent } from "../../attester/agent.ts";
import type { AgentConfig } from "../../attester/config.ts";
import { measure } from "../../attester/measure.ts";
import { run as ops } from "../../cli/commands/ops.ts";
import { run as provision } from "../provision/command.ts";
import { createKeyFile } from "../keys/create-key.ts";
import { readKeyFile } from "../../kit/key-file.ts";
import { startChromium } from "../../kit/testing/chromium.ts";
import type { HeadlessChromium } from "../../kit/testing/chromium.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openSerialLink } from "../../kit/transport/serial.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const FIRMWARE = process.env.GUILLOTINE_E2E_FIRMWARE ?? join(import.meta.dirname, "../../dist/firmware-PICO.js");
if (!existsSync(FIRMWARE)) throw new Error(`the daemon's end-to-end tests need ${FIRMWARE}: run \`make build\` (make test does)`);
const GUILLOTINE = join(import.meta.dirname, "../../bin/guillotine.mjs");
/** Where the web view's screenshot is kept for CI (gitignored). */
const SCREENSHOT = join(import.meta.dirname, "../../artifacts/web-view.png");

const ID = "sim-daemon";
const folder = mkdtempSync(join(tmpdir(), "daemon-"));
const key = (name: string): string => join(folder, `${name}.key`);
const SOCKET = join(folder, "ops.sock");

function startDaemon(argv: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [GUILLOTINE, "ops", "daemon", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((resolve) => child.on("exit", resolve)) };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the ops daemon on the simulated board running the real firmware", () => {
  let sim: RunningSimulator;
  let agent: Agent | undefined;
  let daemon: ReturnType<typeof startDaemon> | undefined;
  let browser: HeadlessChromium | undefined;
  let page: Page;
  let webUrl = "";
  let brokerUrl = "";
  const out: string[] = [];
  const errors: string[] = [];

  /** `guillotine ops ...` in process, through the daemon's socket. */
  const viaDaemon = (...argv: string[]): Promise<number> => ops([...argv, "--socket", SOCKET]);
  const levelShown = (): Promise<string | null> => page.textContent(`[data-controller="${ID}"] .level-name`);

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...parts) => void errors.push(parts.join(" ")));
    for (const name of ["host", "op0", "op1", "op2"]) createKeyFile(key(name));
    sim = await startSimulator({ boardId: "PICO", loadFile: FIRMWARE, seed: 11 });
    const measured = join(folder, "kernel.img");
    writeFileSync(measured, "the hypervisor's kernel\n");
    const config: AgentConfig = {
      controllerId: ID, port: sim.endpoints.host, baud: 115200, heartbeatPeriodMs: 100, keyFile: key("host"),
      socketPath: join(folder, "agent.sock"), measureEveryMs: 60000, commandTimeoutMs: 5000,
      measurements: { files: [measured], commands: [], tpmPcrs: [] },
    };
    const template = join(folder, "controller.json");
    writeFileSync(template, JSON.stringify({ version: 1, id: ID, quorum: 2, measurements: [(await measure(config.measurements, 5000)).digest] }));
    sim.board.press("maintenance", true);
    sim.board.reset();
    const argv = ["--config", template, "--port", sim.endpoints.console, "--host-key", key("host"), "--backup-dir", folder];
    for (const name of ["op0", "op1", "op2"]) argv.push("--operator-key", key(name));
    expect(await provision(argv), errors.join("\n")).toBe(0);
    sim.board.press("maintenance", false);
    sim.board.reset();
    agent = new Agent(config, readKeyFile(key("host")), {
      timers: systemTimers, openLink: () => openSerialLink(sim.endpoints.host, 115200),
      measure: () => measure(config.measurements, config.commandTimeoutMs), log: () => undefined,
    });
    await agent.start();
  });

  afterAll(async () => {
    await browser?.close();
    daemon?.child.kill("SIGKILL");
    await agent?.stop();
    await sim?.close();
    vi.restoreAllMocks();
  });

  it("holds the ops link and serves its socket with mode 0660, its web view and MQTT", async () => {
    daemon = startDaemon(["--port", sim.endpoints.ops, "--socket", SOCKET, "--web-port", "0", "--listen-port", "0", "--interval-ms", "200"]);
    await waitFor(() => /web view at /.test(daemon!.output()), `the daemon to start (it said: ${daemon.output()})`);
    webUrl = (/web view at (\S+)/.exec(daemon.output()) as RegExpExecArray)[1];
    brokerUrl = (/embedded MQTT broker at (\S+)/.exec(daemon.output()) as RegExpExecArray)[1];
    expect(daemon.output()).toContain(`serving ops commands for ${ID} on ${SOCKET}`);
    expect(statSync(SOCKET).isSocket()).toBe(true);
    expect(statSync(SOCKET).mode & 0o777).toBe(0o660);
  });

  it("shows the controller in a headless Chromium: level, cause, named paths, fleet summary", async () => {
    browser = await startChromium();
    page = await browser.context.newPage();
    await page.goto(webUrl);
    await waitFor(async () => (await levelShown()) === "offline", "the page to show offline");
    expect(await page.textContent(`[data-controller="${ID}"] .cause`)).toBe("cause boot");
    expect(await page.getAttribute(`[data-controller="${ID}"] g[data-path="net0"]`, "data-state")).toBe("open");
    expect(await page.textContent("#fleet")).toMatch(/^1 controller\(s\), 1 answering · 1 offline · highest offline$/);
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));
  });

  it("runs status, watch, log export and a quorum restore through the socket, several at once, while it bridges", async () => {
    const messages: string[] = [];
    const mqtt = await connectAsync(brokerUrl, { reconnectPeriod: 0 }, false);
    mqtt.on("message", (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
    await mqtt.subscribeAsync(`guillotine/${ID}/#`);
    try {
      const exported = join(folder, "log.txt");
      out.length = 0;
      const codes = await Promise.all([
        viaDaemon("status", "--json"), viaDaemon("status", "--json"), viaDaemon("log", "export", "--operator", "0", "--key", key("op0"), "--out", exported),
        viaDaemon("watch", "--json", "--interval-ms", "100", "--duration-s", "1"), viaDaemon("status", "--json"),
      ]);
      expect(codes, errors.slice(-5).join("\n")).toEqual([0, 0, 0, 0, 0]);
      const printed = out.map((line) => JSON.parse(line));
      expect(printed.filter((line) => line.type === undefined)).toEqual(Array(3).fill(expect.objectContaining({ id: ID, levelName: "offline" })));
      // watch says hello again after a poll it found slow (a loaded machine): always this session.
      const hellos = printed.filter((line) => line.type === "hello").map((line) => `${line.hello.id} ${line.hello.nonce}`);
      expect(hellos.length).toBeGreaterThan(0);
      expect(new Set(hellos).size).toBe(1);
      expect(hellos[0]).toMatch(new RegExp(`^${ID} [0-9a-f]{32}$`));
      expect(await ops(["log", "verify", exported, "--operator", "0", "--key", key("op0")]), errors.at(-1)).toBe(0);

      out.length = 0;
      expect(await viaDaemon("challenge", "standard", "--json"), errors.at(-1)).toBe(0);
      const challenge = out[0];
      const auths: string[] = [];
      for (const operator of [0, 2]) {
        out.length = 0;
        expect(await ops(["sign", "--operator", String(operator), "--key", key(`op${operator}`), "--challenge", challenge])).toBe(0);
        auths.push(out[0]);
      }
      out.length = 0;
      expect(await viaDaemon("restore", "standard", "--auth", auths[0], "--auth", auths[1]), errors.at(-1)).toBe(0);
      expect(out).toEqual([`${ID} restored to standard (0) (cause quorum)`]);
      await waitFor(() => messages.some((m) => m.startsWith(`guillotine/${ID}/state `) && /"level":0,.*"paths":\{"net0":"closed","power0":"closed"/.test(m)), "MQTT state at standard with both paths closed");
      expect(messages).toContain(`guillotine/${ID}/availability online`);
    } finally {
      await mqtt.endAsync();
    }
  });

  it("follows the restore in the browser without a reload; screenshot kept at artifacts/web-view.png", async () => {
    await waitFor(async () => (await levelShown()) === "standard", "the page to show standard");
    await waitFor(async () => (await page.getAttribute(`[data-controller="${ID}"] g[data-path="power0"]`, "data-state")) === "closed", "power0 drawn closed");
    expect(await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await page.textContent(`[data-controller="${ID}"] .heartbeat`)).toMatch(/^heartbeat [0-9]+ ms ago/);
    expect(await page.locator(`[data-controller="${ID}"] table.log tr`).count()).toBeGreaterThan(1);
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    const png = readFileSync(SCREENSHOT);
    expect(pngSize(png)).toEqual({ width: 1200, height: 900 });
    expect(png.length).toBeGreaterThan(20_000);
  });

  it("is read-only: no method but GET and HEAD, and only for 127.0.0.1", async () => {
    const post = await fetch(new URL("/events", webUrl), { method: "POST", body: "level=0" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    // fetch may not set Host; a DNS-rebinding page would reach us with its own name in it.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      request(webUrl, { headers: { host: "attacker.example" } }, (response) => resolve(response.statusCode)).on("error", reject).end();
    });
    expect(rebound).toBe(421);
    expect(await (await fetch(webUrl)).text()).not.toMatch(/<form|<button|method=/i);
  });

  it("after the daemon dies, commands find its stale socket and open the port themselves", async () => {
    daemon!.child.kill("SIGKILL");
    await daemon!.exited;
    expect(statSync(SOCKET).isSocket()).toBe(true);
    out.length = 0;
    expect(await ops(["status", "--json", "--socket", SOCKET, "--port", sim.endpoints.ops]), errors.at(-1)).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ id: ID, levelName: "standard" });
    errors.length = 0;
    expect(await ops(["status", "--socket", SOCKET])).toBe(4);
    expect(errors.at(-1)).toMatch(/no ops daemon listens on .*ops\.sock and no --port is given/);
  });

  it("refuses a --socket path that is not a socket, on both sides, with what to do", async () => {
    const file = join(folder, "not-a-socket");
    writeFileSync(file, "precious\n");
    errors.length = 0;
    expect(await ops(["status", "--socket", file, "--port", sim.endpoints.ops])).toBe(2);
    expect(errors.at(-1)).toMatch(/--socket .*not-a-socket is a regular file, not the ops daemon's socket/);
    const refused = startDaemon(["--port", sim.endpoints.ops, "--socket", folder]);
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toMatch(/exists and is a directory, not a socket: remove it yourself or choose another --socket/);
    expect(readFileSync(file, "utf8")).toBe("precious\n");
  });
});
