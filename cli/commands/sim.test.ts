import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { BenchPairEndpoints } from "../../simulator/bench-pair.ts";
import type { SimulatorEndpoints } from "../../simulator/io/sim-process.ts";
import { REPOSITORY_ROOT, openCollecting, runGuillotine, type CollectingPort } from "../../simulator/testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

/** Starts `guillotine sim --json` and resolves with the endpoints line it prints. */
function startSim(args: string[]): Promise<{ child: ChildProcess; endpoints: SimulatorEndpoints; stderr: () => string }> {
  const child = spawn(process.execPath, ["bin/guillotine.mjs", "sim", "--json", ...args], { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (data) => (stderr += data));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`guillotine sim printed no endpoints within 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout!.on("data", (data) => {
      stdout += data;
      const end = stdout.indexOf("\n");
      if (end < 0) return;
      clearTimeout(timer);
      resolve({ child, endpoints: JSON.parse(stdout.slice(0, end)), stderr: () => stderr });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`guillotine sim exited with ${code} before printing endpoints; stderr: ${stderr}`));
    });
  });
}

/** Sends SIGTERM and resolves with the exit code; SIGKILL if it hangs. */
function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("close", (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

/** Command lines of running socat processes that mention `text` (read from /proc, no ps needed). */
function socatsMentioning(text: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      if (command.startsWith("socat") && command.includes(text)) lines.push(command);
    } catch {
      // The process ended while we looked.
    }
  }
  return lines;
}

describe("guillotine sim", () => {
  const directory = mkdtempSync(join(tmpdir(), `guillotine-sim-test-${process.pid}-`));
  const children: ChildProcess[] = [];
  const ports: CollectingPort[] = [];

  afterEach(async () => {
    for (const port of ports.splice(0)) await port.close();
    for (const child of children.splice(0)) await stop(child);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("prints its endpoints as one JSON line, and SIGTERM removes its ptys, socket and socat", async () => {
    const { child, endpoints } = await startSim(["--board", "PICO", "--seed", "5"]);
    children.push(child);
    expect(endpoints).toMatchObject({ board: "PICO", seed: 5, stateDir: null, firmware: "empty", console: expect.stringMatching(/^tcp:\/\/127\.0\.0\.1:\d+$/) });
    const paths = [endpoints.consolePty, endpoints.host, endpoints.ops, endpoints.control];
    for (const path of paths) expect(existsSync(path)).toBe(true);
    const runDirectory = dirname(endpoints.control);
    expect(socatsMentioning(runDirectory)).toHaveLength(3);

    const snapshot = await runGuillotine(["sim", "ctl", "snapshot", "--control", endpoints.control]);
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toMatch(/power on/);
    expect(snapshot.stdout).toMatch(/net0 open/);

    expect(await stop(child)).toBe(0);
    for (const path of [...paths, runDirectory]) expect(existsSync(path)).toBe(false);
    expect(socatsMentioning(runDirectory)).toEqual([]);
  });

  it("takes firmware from `guillotine flash` and runs it again after `ctl power off/on`", async () => {
    const { child, endpoints } = await startSim(["--board", "PICO", "--seed", "6", "--state-dir", join(directory, "state")]);
    children.push(child);
    const ops = await openCollecting(endpoints.ops);
    ports.push(ops);
    const version = JSON.parse(readFileSync(join(REPOSITORY_ROOT, "package.json"), "utf8")).version;
    const program = (boardId: string) => {
      const path = join(directory, `program-${boardId}.js`);
      writeFileSync(path, `function hello() {\n  Serial1.setup(115200);\n  Serial1.print("HELLO\\n");\n  global.GUILLOTINE = "guillotine ${version} ${boardId}";\n}\nE.on("init", hello);\n`);
      return path;
    };

    const wrongBoard = await runGuillotine(["flash", "--board", "WIFI", "--port", endpoints.console, "--file", program("WIFI")]);
    expect(wrongBoard.code).toBe(3);
    expect(wrongBoard.stderr).toMatch(/reports BOARD=PICO_R1_3, but profile WIFI is for ESPRUINOWIFI/);

    expect((await runGuillotine(["sim", "ctl", "press", "maintenance", "on", "--control", endpoints.control])).code).toBe(0);
    const flashed = await runGuillotine(["flash", "--board", "PICO", "--port", endpoints.console, "--file", program("PICO")]);
    expect(flashed.stderr).not.toMatch(/Uncaught/);
    expect(flashed.code).toBe(0);
    expect(flashed.stdout).toMatch(/installed .*program-PICO\.js .* as boot code on PICO_R1_3 \(Espruino 2v29\) at tcp:\/\/127\.0\.0\.1:\d+/);
    // The tool's load() after writing, then flash's own load() for the proof.
    await waitFor(() => ops.received() === "HELLO\nHELLO\n", () => `HELLO after each load() (got ${JSON.stringify(ops.received())})`);

    for (const state of ["off", "on"]) expect((await runGuillotine(["sim", "ctl", "power", state, "--control", endpoints.control])).code).toBe(0);
    await waitFor(() => ops.received() === "HELLO\nHELLO\nHELLO\n", () => `HELLO after power-on (got ${JSON.stringify(ops.received())})`);

    // The boot code survives the process too: a new simulator on the same state directory boots it.
    await ops.close();
    expect(await stop(child)).toBe(0);
    const again = await startSim(["--board", "PICO", "--state-dir", join(directory, "state")]);
    children.push(again.child);
    expect(again.endpoints.firmware).toBe("saved");
  });

  it("--pair prints both boards' ports, a 0600 configuration and the bench command; the controller waits unpowered for the probe", async () => {
    const { child, endpoints } = await startSim(["--pair", "--board", "PICO", "--seed", "3", "--drift-ppm=-40"]);
    children.push(child);
    const pair = endpoints as unknown as BenchPairEndpoints;
    expect(pair).toMatchObject({ board: "PICO", seed: 3, driftPpm: -40 });
    for (const path of [pair.dut.host, pair.dut.ops, pair.dut.consolePty, pair.probe.consolePty]) expect(existsSync(path)).toBe(true);
    expect(statSync(pair.config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(pair.config, "utf8")).challengeTtlS).toBe(10);
    expect(pair.bench).toBe(`guillotine bench run --target serial --board PICO --host ${pair.dut.host} --ops ${pair.dut.ops} --probe ${pair.probe.consolePty} --config ${pair.config} --link-allowance-ms 150`);
    const snapshot = await runGuillotine(["sim", "ctl", "snapshot", "--json", "--control", pair.dut.control]);
    expect(JSON.parse(snapshot.stdout).snapshot.powered).toBe(false);
    const badDrift = await runGuillotine(["sim", "--pair", "--board", "PICO", "--drift-ppm", "fast"]);
    expect(badDrift.code).toBe(2);
    expect(badDrift.stderr).toMatch(/--drift-ppm must be a number/);
    expect((await runGuillotine(["sim", "--board", "PICO", "--drift-ppm", "5"])).stderr).toMatch(/--drift-ppm needs --pair/);
  });

  it("answers control mistakes with the problem and the fix", async () => {
    const noSim = await runGuillotine(["sim", "ctl", "snapshot", "--control", join(directory, "nothing.sock")]);
    expect(noSim.code).toBe(4);
    expect(noSim.stderr).toMatch(/no simulator listens on .*start one with `guillotine sim --board PICO`/);
    const badWord = await runGuillotine(["sim", "ctl", "press", "estop", "maybe", "--control", join(directory, "nothing.sock")]);
    expect(badWord.code).toBe(2);
    expect(badWord.stderr).toMatch(/press needs on or off, got "maybe"/);
    const noBoard = await runGuillotine(["sim"]);
    expect(noBoard.code).toBe(2);
    expect(noBoard.stderr).toMatch(/--board is missing/);
    const help = await runGuillotine(["sim", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/guillotine sim ctl COMMAND/);
  });
});
