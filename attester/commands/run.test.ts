/**
 * `guillotine agent run` and `agent request` as processes, the way systemd and the hypervisor
 * start them: a config file, a 0600 key file, the controller core on the host link, and a
 * NOTIFY_SOCKET bound by socat (Node cannot bind a Unix datagram socket).
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { serveController, ServedController, type ServedControllerServer } from "../../kit/testing/served-controller.ts";
import { CONTROLLER_ID, HOST_KEY, GOOD_MEASUREMENT } from "../../protocol/testing/keys.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const GUILLOTINE = join(import.meta.dirname, "../../bin/guillotine.mjs");
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function collect(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  return () => text;
}

/** Runs the CLI without blocking: the controller core lives in this process and must answer. */
function runCli(argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [GUILLOTINE, ...argv]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

function writeSetup(folder: string, port: string, keyMode = 0o600): string {
  const keyFile = join(folder, "host.key");
  writeFileSync(keyFile, HOST_KEY + "\n");
  chmodSync(keyFile, keyMode);
  const measured = join(folder, "measured.txt");
  writeFileSync(measured, "kernel 6.1\n");
  const config = join(folder, "agent.json");
  writeFileSync(config, JSON.stringify({
    controllerId: CONTROLLER_ID, port, heartbeatPeriodMs: 50, keyFile: "host.key",
    socketPath: join(folder, "agent.sock"), measurements: { files: ["measured.txt"] },
  }));
  return config;
}

describe("guillotine agent run", () => {
  it("refuses a group-readable key file with exit 3 and says how to fix it", () => {
    const folder = mkdtempSync(join(tmpdir(), "agent-cli-"));
    const config = writeSetup(folder, "tcp://127.0.0.1:9", 0o640);
    const result = spawnSync(process.execPath, [GUILLOTINE, "agent", "run", "--config", config], { encoding: "utf8" });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`chmod 600 ${join(folder, "host.key")}`);
  });

  it("reports every configuration error at once with exit 3", () => {
    const folder = mkdtempSync(join(tmpdir(), "agent-cli-"));
    const config = join(folder, "bad.json");
    writeFileSync(config, JSON.stringify({ controllerId: "X", port: "tcp://nowhere", heartbeatPeriodMs: 1 }));
    const result = spawnSync(process.execPath, [GUILLOTINE, "agent", "run", "--config", config], { encoding: "utf8" });
    expect(result.status).toBe(3);
    for (const field of ["controllerId:", "port:", "heartbeatPeriodMs:", "keyFile:", "measurements:"]) expect(result.stderr).toContain(field);
  });

  it("attests, notifies systemd, forwards a request from `agent request`, and stops on SIGTERM", async () => {
    const folder = mkdtempSync(join(tmpdir(), "agent-cli-"));
    const measure = spawnSync(process.execPath, [GUILLOTINE, "agent", "measure", "--config", writeSetup(folder, "tcp://127.0.0.1:9"), "--json"], { encoding: "utf8" });
    const digest = JSON.parse(measure.stdout).digest as string;
    expect(digest).toMatch(/^[0-9a-f]{32}$/);
    const fake = new ServedController({ config: { measurements: [GOOD_MEASUREMENT, digest] }, level: 0 });
    const hostLink = await serveController(fake, "host");
    cleanups.push(() => (fake.stop(), hostLink.close()));
    const config = join(folder, "agent.json");
    writeSetup(folder, hostLink.url);

    const notifySocket = join(folder, "notify.sock");
    const systemd = spawn("socat", ["-u", `UNIX-RECV:${notifySocket}`, "STDOUT"]);
    cleanups.push(() => systemd.kill());
    const notified = collect(systemd);
    await waitFor(() => existsSync(notifySocket), "the notify socket");

    const agent = spawn(process.execPath, [GUILLOTINE, "agent", "run", "--config", config], {
      env: { ...process.env, NOTIFY_SOCKET: notifySocket, WATCHDOG_USEC: "400000" },
    });
    cleanups.push(() => agent.kill("SIGKILL"));
    const log = collect(agent);
    await waitFor(() => fake.heartbeats >= 5, `heartbeats (agent said: ${log()})`);
    await waitFor(() => notified().includes("WATCHDOG=1"), "WATCHDOG=1");
    expect(notified().indexOf("READY=1\n")).toBeLessThan(notified().indexOf("WATCHDOG=1\n"));
    expect(notified()).toContain(`STATUS=controller ${CONTROLLER_ID} at standard\n`);

    const request = await runCli(["agent", "request", "severed", "--reason", "model escaped", "--socket", join(folder, "agent.sock")]);
    expect(request.stdout.trim()).toBe("controller confirmed at severed (2)");
    expect(request.status).toBe(0);
    expect(fake.level).toBe(2);
    expect(log()).toContain("hypervisor asks for severed (2): model escaped");

    const refused = await runCli(["agent", "request", "immolation", "--socket", join(folder, "agent.sock")]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("irreversible levels need an operator quorum");

    agent.kill("SIGTERM");
    const code = await new Promise((resolve) => agent.on("exit", resolve));
    expect(code).toBe(0);
    expect(notified()).toContain("STOPPING=1");
  });
});
