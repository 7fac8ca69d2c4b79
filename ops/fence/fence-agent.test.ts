/**
 * fence_guillotine as the cluster runs it: the real program (bin/fence_guillotine) fed
 * `name=value` lines on standard input, against the simulated board running the real
 * firmware bundle, with the attester's heartbeats keeping the paths closed until it fences.
 * Then through Pacemaker itself: `stonith_admin --metadata` and `--validate` and `pcs stonith
 * describe` read the agent, and a single-node cluster (corosync and pacemakerd, started here
 * as root) with a device made by `pcs stonith create` fences a node with it.
 *
 * Needs dist/firmware-PICO.js (`make build`; make test builds it first) and, for Pacemaker,
 * root and Debian's pacemaker, pcs and fence-agents packages (`make setup` installs them).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testConfig } from "../../firmware/core/test-fixture.ts";
import { Agent } from "../../attester/agent.ts";
import type { AgentConfig } from "../../attester/config.ts";
import { measure } from "../../attester/measure.ts";
import { run as ops } from "../../cli/commands/ops.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openSerialLink } from "../../kit/transport/serial.ts";
import { HOST_KEY, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { startSimulator } from "../../simulator/io/sim-process.ts";
import type { RunningSimulator } from "../../simulator/io/sim-process.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const FIRMWARE = process.env.GUILLOTINE_E2E_FIRMWARE ?? join(import.meta.dirname, "../../dist/firmware-PICO.js");
if (!existsSync(FIRMWARE)) throw new Error(`the fence agent tests need ${FIRMWARE}: run \`make build\` (make test does)`);
const AGENT = join(import.meta.dirname, "../../bin/fence_guillotine");

const ID = "fence-sim";
const folder = mkdtempSync(join(tmpdir(), "fence-"));
const keyPath = (name: string): string => join(folder, `${name}.key`);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end, feeding `input` on standard input. */
function runProgram(command: string, args: string[], input = ""): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.on("error", () => undefined); // a program that never reads its input closes it early
    child.stdin.end(input);
  });
}

/**
 * Whether `command` exits 0. Asynchronous on purpose: a synchronous wait would stall this
 * process's attester, and the controller would trip on its heartbeat deadline meanwhile.
 */
async function succeeds(command: string, ...args: string[]): Promise<boolean> {
  return (await runProgram(command, args).catch(() => ({ code: -1 }))).code === 0;
}

/** True when Pacemaker's fencer can run an agent installed here: it looks only in /usr/sbin. */
function pacemakerUnready(): string | undefined {
  if (process.getuid?.() !== 0) return "the Pacemaker tests install the agent in /usr/sbin and start corosync: run them as root (CI does)";
  for (const tool of ["stonith_admin", "pcs", "corosync", "pacemakerd"]) {
    if (!existsSync(`/usr/sbin/${tool}`)) return `/usr/sbin/${tool} not found: \`make setup\` installs Debian's pacemaker, pcs and fence-agents`;
  }
  return undefined;
}

// A name of its own per run, so that parallel checkouts never replace each other's agent.
const INSTALLED_NAME = `fence_guillotine_t${process.pid}`;
const INSTALLED_PATH = `/usr/sbin/${INSTALLED_NAME}`;
const COROSYNC_CONF = "/etc/corosync/corosync.conf";

function installAgent(): void {
  const unready = pacemakerUnready();
  if (unready !== undefined) throw new Error(unready);
  if (!existsSync(INSTALLED_PATH)) symlinkSync(AGENT, INSTALLED_PATH);
}

const stonithOptions = (...pairs: string[]): string[] => pairs.flatMap((pair) => ["--option", pair]);

/**
 * A single-node cluster: Debian's corosync.conf is one node on 127.0.0.1. Reuses a running
 * one (and leaves it running); otherwise starts corosync and pacemakerd and stops them after,
 * but only from that loopback configuration: never a real cluster's node.
 */
async function startCluster(): Promise<{ stop(): Promise<void> }> {
  if (await succeeds("corosync-cfgtool", "-s")) return { stop: async () => undefined };
  const conf = readFileSync(COROSYNC_CONF, "utf8");
  if ((conf.match(/ring0_addr:/g) ?? []).length !== 1 || !/ring0_addr:\s*127\.0\.0\.1\s/.test(conf)) {
    throw new Error(`${COROSYNC_CONF} is not Debian's single node on 127.0.0.1: this test starts a cluster only from that one`);
  }
  const started: ChildProcess[] = [];
  const gone = (child: ChildProcess): Promise<unknown> =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", resolve));
  const stop = async (): Promise<void> => {
    // pacemakerd leads a process group of its daemons: stop them all, then corosync.
    for (const child of started.reverse()) {
      if (child.pid === undefined) continue;
      try {
        process.kill(child.spawnargs[0] === "pacemakerd" ? -child.pid : child.pid, "SIGTERM");
      } catch {
        continue; // already gone
      }
      await gone(child);
      if (child.spawnargs[0] === "pacemakerd") await waitFor(async () => !(await succeeds("pgrep", "-g", String(child.pid))), "Pacemaker's daemons to stop", 30000);
    }
  };
  try {
    started.push(spawn("corosync", ["-f"], { stdio: "ignore" }));
    await waitFor(() => succeeds("corosync-cfgtool", "-s"), "corosync to answer");
    started.push(spawn("pacemakerd", [], { stdio: "ignore", detached: true }));
    await waitFor(() => succeeds("stonith_admin", "--list-registered"), "Pacemaker's fencer to answer", 30000);
    // Stopping waits for the election; a short one (kept in this test cluster's CIB) makes later runs quicker.
    await runProgram("crm_attribute", ["--type", "crm_config", "--name", "dc-deadtime", "--update", "1s"]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

describe("fence_guillotine against the simulated board running the real firmware", () => {
  let sim: RunningSimulator;
  let agent: Agent;
  let out: string[] = [];
  const errors: string[] = [];

  /** The device's parameters as Pacemaker passes them, plus `extra` lines. */
  function stdin(action: string, ...extra: string[]): string {
    return [`action=${action}`, `port=${ID}`, `serial_port=${sim.endpoints.ops}`, "operator=1", `key_file=${keyPath("op1")}`, "nodename=server1", ...extra].join("\n") + "\n";
  }
  const fence = (action: string, ...extra: string[]): Promise<Ran> => runProgram(AGENT, [], stdin(action, ...extra));

  async function status(): Promise<{ level: number; cause: string; paths: string }> {
    out = [];
    expect(await ops(["status", "--json", "--port", sim.endpoints.ops]), errors.at(-1)).toBe(0);
    return JSON.parse(out[0]);
  }

  /** Quorum restore to standard (operators 0 and 2), then the heartbeats close both paths. */
  async function restoreAndClose(): Promise<void> {
    if ((await status()).level === 0) return waitFor(async () => (await status()).paths === "CCOO", "both paths closed");
    await new Promise((resolve) => setTimeout(resolve, 1100)); // one challenge a second
    out = [];
    expect(await ops(["challenge", "standard", "--json", "--port", sim.endpoints.ops]), errors.at(-1)).toBe(0);
    const challenge = out[0];
    const auths: string[] = [];
    for (const operator of [0, 2]) {
      out = [];
      expect(await ops(["sign", "--operator", String(operator), "--key", keyPath(`op${operator}`), "--challenge", challenge])).toBe(0);
      auths.push("--auth", out[0]);
    }
    expect(await ops(["restore", "standard", ...auths, "--port", sim.endpoints.ops]), errors.at(-1)).toBe(0);
    await waitFor(async () => (await status()).paths === "CCOO", "network and power paths closed", 20000);
  }

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation((...parts) => void out.push(parts.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...parts) => void errors.push(parts.join(" ")));
    writeFileSync(keyPath("host"), HOST_KEY + "\n", { mode: 0o600 });
    OPERATOR_KEYS.forEach((key, index) => writeFileSync(keyPath(`op${index}`), key + "\n", { mode: 0o600 }));
    const measured = join(folder, "kernel.img");
    writeFileSync(measured, "the fenced server's kernel\n");
    const config: AgentConfig = {
      controllerId: ID, port: "", baud: 115200, heartbeatPeriodMs: 100, keyFile: keyPath("host"),
      socketPath: join(folder, "agent.sock"), measureEveryMs: 60000, commandTimeoutMs: 5000,
      measurements: { files: [measured], commands: [], tpmPcrs: [] },
    };
    const digest = (await measure(config.measurements, 5000)).digest;
    // Provisioned as `guillotine provision` leaves it (that path has its own end-to-end test).
    sim = await startSimulator({ boardId: "PICO", loadFile: FIRMWARE, seed: 15, config: testConfig({ id: ID, measurements: [digest] }) });
    agent = new Agent({ ...config, port: sim.endpoints.host }, HOST_KEY, {
      timers: systemTimers, openLink: () => openSerialLink(sim.endpoints.host, 115200),
      measure: () => measure(config.measurements, config.commandTimeoutMs), log: () => undefined,
    });
    await agent.start();
    await waitFor(async () => (await ops(["status", "--port", sim.endpoints.ops])) === 0, "the controller to answer");
    await restoreAndClose();
  });

  afterAll(async () => {
    await agent?.stop();
    await sim?.close();
    vi.restoreAllMocks();
  });

  it("reports a serving server as ON, lists the controller and passes monitor", async () => {
    expect(await fence("status")).toMatchObject({ code: 0, stdout: "Status: ON\n" });
    expect(await fence("list")).toMatchObject({ code: 0, stdout: `${ID},${ID}\n` });
    expect((await fence("monitor")).code).toBe(0);
  });

  it("refuses on, saying that lowering needs the quorum", async () => {
    const ran = await fence("on");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/never lowers a level.*quorum.*guillotine ops restore/s);
    expect((await status()).paths).toBe("CCOO");
  });

  it("does nothing when the controller on the port is not the plug's", async () => {
    const ran = await runProgram(AGENT, [], stdin("off").replace(`port=${ID}`, "port=another-rack"));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`is controller "${ID}", not "another-rack"`);
    expect(await status()).toMatchObject({ level: 0, paths: "CCOO" });
  });

  it("off raises to offline and succeeds once every path reads back open, heartbeats or not", async () => {
    const ran = await fence("off", "verbose=1");
    expect(ran, ran.stderr).toMatchObject({ code: 0, stdout: "Success: Powered OFF\n" });
    expect(ran.stderr).toContain("paths read back: network O, power O, decapitation O, immolation O");
    expect(await status()).toMatchObject({ level: 3, cause: "operator", paths: "OOOO" });
    expect(await fence("status")).toMatchObject({ code: 2, stdout: "Status: OFF\n" });
    expect(await fence("off")).toMatchObject({ code: 0, stdout: "Success: Already OFF\n" });
  });

  it("reboot only turns off: the server stays off", async () => {
    await restoreAndClose();
    const ran = await fence("reboot");
    expect(ran, ran.stderr).toMatchObject({ code: 0 });
    expect(ran.stdout).toMatch(/^Success: Rebooted \(powered OFF only/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await status()).toMatchObject({ level: 3, paths: "OOOO" });
  });

  it("level=severed opens the network path only, and that counts as fenced", async () => {
    await restoreAndClose();
    expect(await fence("off", "level=severed")).toMatchObject({ code: 0, stdout: "Success: Powered OFF\n" });
    expect(await status()).toMatchObject({ level: 2, paths: "OCOO" });
    expect(await fence("status", "level=severed")).toMatchObject({ code: 2 });
    expect(await fence("status")).toMatchObject({ code: 0, stdout: "Status: ON\n" });
  });

  it("takes the same parameters as command-line flags", async () => {
    const ran = await runProgram(AGENT, ["-o", "status", `--serial-port=${sim.endpoints.ops}`, "--operator", "1", "-n", ID, `--key-file=${keyPath("op1")}`, "--level=severed"]);
    expect(ran).toMatchObject({ code: 2, stdout: "Status: OFF\n" });
  });

  it("fails at once, without a hang, on a port where no controller answers", async () => {
    const ran = await runProgram(AGENT, [], stdin("status", "shell_timeout=1").replace(`serial_port=${sim.endpoints.ops}`, `serial_port=${join(folder, "no-such-port")}`));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/^Failed: unable to reach the controller: /);
  });

  it("a single-node Pacemaker cluster, configured with pcs stonith create, fences a node with it and refuses to unfence it", async () => {
    installAgent();
    await restoreAndClose();
    const cluster = await startCluster();
    const device = `guillotine-${process.pid}`;
    try {
      const created = await runProgram("pcs", ["stonith", "create", device, INSTALLED_NAME, `serial_port=${sim.endpoints.ops}`, "operator=1",
        `key_file=${keyPath("op1")}`, `pcmk_host_map=server1:${ID}`]);
      expect(created.code, created.stdout + created.stderr).toBe(0);
      // The cluster starts the device (its first monitor opens the ops link); fence after that.
      await waitFor(async () => new RegExp(`${device}\\s+\\(stonith:${INSTALLED_NAME}\\):\\s+Started`).test((await runProgram("crm_mon", ["-1"])).stdout), "the cluster to start the fence device", 30000);
      const fenced = await runProgram("stonith_admin", ["--fence", "server1", "--timeout", "60"]);
      expect(fenced.code, fenced.stdout + fenced.stderr).toBe(0);
      expect(await status()).toMatchObject({ level: 3, paths: "OOOO" });
      const history = await runProgram("stonith_admin", ["--history", "server1"]);
      expect(history.stdout).toMatch(/turning off of server1 successful/);
      const unfenced = await runProgram("stonith_admin", ["--unfence", "server1", "--timeout", "30"]);
      expect(unfenced.code).not.toBe(0);
      expect(await status()).toMatchObject({ level: 3, paths: "OOOO" });
    } finally {
      await runProgram("pcs", ["stonith", "delete", device]);
      await cluster.stop();
    }
  }, 120_000); // a first start's clean stop waits out Pacemaker's 20 s election timeout

  it("fails off when welded power relays keep their path from reading open", async () => {
    await restoreAndClose();
    // Both relays of power0: with one, the other in series still opens the path.
    for (const relay of [2, 3]) sim.board.inject({ kind: "relay-welded", relay });
    try {
      const ran = await fence("off", "power_timeout=3");
      expect(ran.code, ran.stdout + ran.stderr).toBe(1);
      expect(ran.stderr).toMatch(/Failed: Timed out waiting to power OFF: .* offline \(3\) with paths network O, power F/);
      expect(ran.stdout).toBe("");
      expect(await fence("status")).toMatchObject({ code: 0, stdout: "Status: ON\n" });
    } finally {
      for (const relay of [2, 3]) sim.board.inject({ kind: "relay-welded", relay, active: false });
    }
  });
});

afterAll(() => rmSync(INSTALLED_PATH, { force: true }));

describe("fence_guillotine read by Pacemaker's stonith_admin and pcs", () => {
  const name = INSTALLED_NAME;
  beforeAll(installAgent);

  it("stonith_admin --metadata reads the agent's parameters and actions", async () => {
    const ran = await runProgram("stonith_admin", ["--metadata", "--agent", name]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/<resource-agent name="fence_guillotine"/);
    for (const parameter of ["action", "plug", "port", "serial_port", "operator", "key_file", "level", "power_timeout"]) {
      expect(ran.stdout).toContain(`<parameter name="${parameter}"`);
    }
    for (const action of ["on", "off", "reboot", "status", "monitor", "list", "metadata", "validate-all"]) {
      expect(ran.stdout).toMatch(new RegExp(`<action name="${action}"`));
    }
  });

  it("pcs stonith describe shows its options, the required ones marked", async () => {
    const ran = await runProgram("pcs", ["stonith", "describe", name]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^fence_guillotine_t\d+ - Fence agent for a Guillotine fail-safe relay controller/);
    for (const line of ["serial_port (required): ", "operator (required): ", "key_file (required): ", "level: ", "plug: "]) expect(ran.stdout).toContain(`  ${line}`);
  });

  it("stonith_admin --validate accepts a good configuration and names what is wrong in a bad one", async () => {
    const key = join(folder, "validate.key");
    writeFileSync(key, OPERATOR_KEYS[0] + "\n", { mode: 0o600 });
    const good = await runProgram("stonith_admin", ["--validate", "--agent", name, ...stonithOptions("serial_port=/dev/ttyUSB1", "operator=0", `key_file=${key}`)]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const bad = await runProgram("stonith_admin", ["--validate", "--agent", name, ...stonithOptions("serial_port=/dev/ttyUSB1", "operator=0", `key_file=${key}`, "level=standard")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('level="standard" must be severed or offline');
  });
});
