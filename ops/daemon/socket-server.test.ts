/**
 * The daemon's Unix socket with real sockets on both sides, in front of the controller core
 * on TCP (kit/testing/served-controller.ts): raw clients asking at once, the controller link going down, a
 * second daemon on the same path, and the owner-only mode.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { run as ops } from "../../cli/commands/ops.ts";
import { serveController, ServedController, type ServedControllerServer } from "../../kit/testing/served-controller.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openLink, parseEndpoint } from "../../kit/transport/endpoint.ts";
import type { Endpoint } from "../../kit/transport/endpoint.ts";
import { CONTROLLER_ID } from "../../protocol/testing/keys.ts";
import { startWebView } from "../web/server.ts";
import { OpsDaemon } from "./daemon.ts";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeController(id = CONTROLLER_ID): Promise<ServedControllerServer> {
  const controller = new ServedController({ config: { id } });
  const server = await serveController(controller, "ops");
  cleanups.push(() => (controller.stop(), server.close()));
  return server;
}

async function daemonOn(url: string, socketPath: string, socketMode = 0o660): Promise<OpsDaemon> {
  const endpoint = parseEndpoint(url) as Endpoint;
  const daemon = new OpsDaemon({
    links: [{ where: url, open: () => openLink(endpoint), socketPath }], socketMode, paths: loadProfile("PICO").paths,
    pollMs: 100, answerTimeoutMs: 500, timers: systemTimers, log: () => undefined,
  });
  cleanups.push(() => daemon.stop());
  await daemon.start(2000);
  return daemon;
}

/** A raw client: sends `lines` at once, collects what comes back until `count` lines arrived. */
function rawClient(path: string, lines: string[], count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const received: string[] = [];
    let buffered = "";
    const socket = connect(path, () => socket.write(lines.map((line) => line + "\n").join("")));
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        received.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
      }
      if (received.length >= count) {
        socket.destroy();
        resolve(received);
      }
    });
  });
}

describe("the ops daemon's socket", () => {
  it("answers two raw clients asking at once, each only with answers to its own requests", async () => {
    const controller = await fakeController();
    const path = join(mkdtempSync(join(tmpdir(), "daemon-")), "ops.sock");
    await daemonOn(controller.url, path);
    const [logs, statuses] = await Promise.all([
      rawClient(path, ["LOG 0", "LOG 1", "LOG 0", "LOG 1"], 4),
      rawClient(path, ["STATUS", "SYNC", "STATUS", "SYNC"], 4),
    ]);
    expect(logs.map((line) => line.split(" ")[0]).every((type) => type === "LOG" || type === "LOGEND")).toBe(true);
    expect(statuses.map((line) => line.split(" ")[0])).toEqual(["STATUS", "HELLO", "STATUS", "HELLO"]);
  });

  it("closes its clients with the reason when the controller link goes down; commands exit 4 saying so", async () => {
    const controller = await fakeController();
    const path = join(mkdtempSync(join(tmpdir(), "daemon-")), "ops.sock");
    await daemonOn(controller.url, path);
    await controller.close();
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((text) => void errors.push(String(text)));
    expect(await ops(["status", "--socket", path])).toBe(4);
    expect(errors.at(-1)).toMatch(/ops daemon: the controller link (is|went) down/);
  });

  it("refuses a second daemon on a socket the first one answers on, and keeps 0600 when asked", async () => {
    const controller = await fakeController();
    const path = join(mkdtempSync(join(tmpdir(), "daemon-")), "ops.sock");
    await daemonOn(controller.url, path, 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(daemonOn(controller.url, path)).rejects.toThrow(/another ops daemon already listens on .*ops\.sock/);
  });

  it("holds several controllers, a socket each, and the web view's fleet counts them all", async () => {
    const first = await fakeController();
    const second = await fakeController("rack-two");
    const folder = mkdtempSync(join(tmpdir(), "daemon-"));
    const links = [first, second].map((server, index) => {
      const endpoint = parseEndpoint(server.url) as Endpoint;
      return { where: server.url, open: () => openLink(endpoint), socketPath: join(folder, `ops${index}.sock`) };
    });
    const daemon = new OpsDaemon({ links, socketMode: 0o660, paths: loadProfile("PICO").paths, pollMs: 100, answerTimeoutMs: 500, timers: systemTimers, log: () => undefined });
    cleanups.push(() => daemon.stop());
    await daemon.start(2000);
    const web = await startWebView(0, { views: () => daemon.views(), onChange: (listener) => daemon.onChange(listener) });
    cleanups.push(() => web.close());
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((text) => void out.push(String(text)));
    expect(await ops(["status", "--json", "--socket", links[1].socketPath])).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ id: "rack-two" });
    const fleet = (await (await fetch(new URL("/fleet.json", web.url))).json()) as { summary: unknown; controllers: Array<{ id: string }> };
    expect(fleet.summary).toMatchObject({ controllers: 2, answering: 2, linksDown: 0, highestLevel: 3 });
    expect(fleet.controllers.map((view) => view.id)).toEqual([CONTROLLER_ID, "rack-two"]);
  });

  it("with --json prints one object saying where it serves", async () => {
    const controller = await fakeController();
    const path = join(mkdtempSync(join(tmpdir(), "daemon-")), "ops.sock");
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((text) => void out.push(String(text)));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await ops(["daemon", "--port", controller.url, "--socket", path, "--web-port", "0", "--json", "--duration-s", "1"])).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0])).toMatchObject({
      controllers: [{ port: controller.url, id: CONTROLLER_ID, socket: path }], web: expect.stringMatching(/^http:\/\/127\.0\.0\.1:[0-9]+\/$/), mqtt: null,
    });
  });

  it("stops cleanly on SIGTERM even while it still waits for a first HELLO: socket removed, exit 0", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "daemon-")), "ops.sock");
    const guillotine = join(import.meta.dirname, "../../bin/guillotine.mjs");
    const child = spawn(process.execPath, [guillotine, "ops", "daemon", "--port", "tcp://127.0.0.1:1", "--socket", path, "--timeout-ms", "30000"], { stdio: "ignore" });
    cleanups.push(() => child.kill("SIGKILL"));
    const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    for (let waitedMs = 0; !existsSync(path); waitedMs += 50) {
      if (waitedMs > 10000) throw new Error("the daemon never created its socket");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGTERM");
    const killedAtMs = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - killedAtMs).toBeLessThan(5000); // not when the 30 s wait would have ended
    expect(existsSync(path)).toBe(false);
  });
});
