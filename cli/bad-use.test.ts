/**
 * The `guillotine` command under bad use: an early-closing reader and output into pipes (run
 * as a user runs it, bin/guillotine.mjs in its own process), paths that are not what they
 * should be, option values that look like options, unknown boards (run in this process). Each
 * must get our own clear message and the exit code of docs/cli.md, at once, and no colour
 * codes.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testConfig } from "../firmware/core/test-fixture.ts";
import { startSimulator } from "../simulator/io/sim-process.ts";
import type { RunningSimulator } from "../simulator/io/sim-process.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE } from "../kit/command/exit-codes.ts";
import { main } from "./main.ts";

const FIRMWARE = process.env.GUILLOTINE_E2E_FIRMWARE ?? join(import.meta.dirname, "../dist/firmware-PICO.js");
if (!existsSync(FIRMWARE)) throw new Error(`these tests need ${FIRMWARE}: run \`make build\` (make test does)`);
const GUILLOTINE = join(import.meta.dirname, "../bin/guillotine.mjs");
const ESCAPE = "\x1b";

const folder = mkdtempSync(join(tmpdir(), "bad-use-"));
const fifo = join(folder, "fifo");
const regular = join(folder, "regular.txt");
const directory = join(folder, "directory");
const toDevice = join(folder, "to-device.key");

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` through sh (for pipes), with a deadline that would expose a hang. */
function shell(command: string, deadlineMs = 15000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`\`${command}\` still running after ${deadlineMs} ms: it hangs`));
    }, deadlineMs);
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `guillotine ARGS` in this process (quicker than a process per case): its exit code and standard error. */
async function guillotine(args: string): Promise<Ran> {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const error = vi.spyOn(console, "error").mockImplementation((...parts) => void stderr.push(parts.join(" ")));
  const log = vi.spyOn(console, "log").mockImplementation((...parts) => void stdout.push(parts.join(" ")));
  try {
    const code = await main(args.split(" "));
    return { code, stdout: stdout.map((line) => line + "\n").join(""), stderr: stderr.map((line) => line + "\n").join("") };
  } finally {
    error.mockRestore();
    log.mockRestore();
  }
}

beforeAll(() => {
  execFileSync("mkfifo", ["-m", "600", fifo]);
  writeFileSync(regular, "not a socket, not a device\n", { mode: 0o600 });
  mkdirSync(directory);
  symlinkSync("/dev/zero", toDevice);
});

describe("guillotine against the simulated board, output into a pipe", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ boardId: "PICO", loadFile: FIRMWARE, seed: 5, config: testConfig({ id: "pipe-sim" }) });
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("`ops status | head -1` prints the first line and no EPIPE stack trace", async () => {
    const ran = await shell(`node ${GUILLOTINE} ops status --port ${sim.endpoints.ops} | head -1; echo "exit $?"`);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/^controller pipe-sim \(firmware [^)]+\)\nexit 0\n$/);
  });

  it("writes no colour codes into a pipe", async () => {
    const ran = await shell(`node ${GUILLOTINE} ops status --port ${sim.endpoints.ops}`);
    expect(ran.code).toBe(EXIT_OK);
    expect(ran.stdout).toContain("level       offline (3)");
    expect(ran.stdout + ran.stderr).not.toContain(ESCAPE);
  });
});

describe("guillotine given paths that are not what they should be", () => {
  it.each([
    ["a directory", directory, /key file .*directory is a directory, not a regular file/],
    ["a FIFO", fifo, /key file .*fifo is a FIFO \(named pipe\), not a regular file/],
    ["a symlink to a device", toDevice, /key file .*to-device\.key \(a symlink to \/dev\/zero\) is a character device, not a regular file/],
  ])("a key path that is %s: exit 3, said so, no chmod advice, no hang", async (_what, path, message) => {
    const ran = await guillotine(`ops sign --operator 0 --key ${path} --id rack --nonce ${"0".repeat(32)} --target offline`);
    expect(ran.code).toBe(EXIT_CONFIG);
    expect(ran.stderr).toMatch(message);
    expect(ran.stderr).not.toMatch(/chmod/);
  });

  it.each([
    ["a regular file", regular, "is a regular file, not a socket"],
    ["a FIFO", fifo, "is a FIFO (named pipe), not a socket"],
    ["a directory", directory, "is a directory, not a socket"],
  ])("an agent socket path that is %s: exit 4, said so", async (_what, path, message) => {
    const ran = await guillotine(`agent request severed --socket ${path}`);
    expect(ran.code).toBe(EXIT_UNREACHABLE);
    expect(ran.stderr).toBe(`guillotine agent request: agent socket ${path} ${message}: give the socket's path\n`);
  });

  it("a simulator control path that is a regular file: exit 4, said so", async () => {
    const ran = await guillotine(`sim ctl snapshot --control ${regular}`);
    expect(ran.code).toBe(EXIT_UNREACHABLE);
    expect(ran.stderr).toContain(`--control ${regular} is a regular file, not a socket`);
  });

  it.each([
    ["a FIFO", fifo, "it is a FIFO (named pipe), not a serial device"],
    ["a regular file", regular, "it is a regular file, not a serial device"],
    ["a device that is no serial port", "/dev/zero", "it is a device but not a serial port"],
  ])("an ops port that is %s: exit 4 at once, said so", async (_what, path, message) => {
    const ran = await guillotine(`ops status --port ${path}`);
    expect(ran.code).toBe(EXIT_UNREACHABLE);
    expect(ran.stderr).toContain(`guillotine ops status: cannot open serial port ${path}: ${message}`);
  });

  it("a simulator --load file that is a FIFO: exit 3 at once, without reading it", async () => {
    const ran = await guillotine(`sim --board PICO --load ${fifo}`);
    expect(ran.code).toBe(EXIT_CONFIG);
    expect(ran.stderr).toContain(`--load file ${fifo} is a FIFO (named pipe), not a regular file`);
  });

  it("an AUTH file that is a FIFO: exit 3 at once, without reading it", async () => {
    const ran = await guillotine(`ops restore standard --auth-file ${fifo} --port ${regular}`);
    expect(ran.code).toBe(EXIT_CONFIG);
    expect(ran.stderr).toContain(`--auth-file ${fifo} is a FIFO (named pipe), not a regular file`);
  });
});

describe("guillotine given bad option values", () => {
  it.each([
    ["ops sign --operator -1 --key k --id rack --nonce n --target 3", 'guillotine ops sign: --operator must be your place in the operator list, 0-9; got "-1"'],
    ["ops watch --interval-ms -5 --port /dev/null", 'guillotine ops watch: --interval-ms must be a positive integer, got "-5"'],
    ["ops status --port", "guillotine ops status: --port needs a value (see --help)"],
    ["ops status --json=yes", "guillotine ops status: --json takes no value (see --help)"],
    ["ops status --operator 1", 'guillotine ops status: unknown option "--operator"; this command takes --port, --socket, --baud, --timeout-ms, --json (see --help)'],
    ["sim --board PICO --seed -5", "guillotine sim: --seed must be a whole number from 0 to 4294967295, got -5"],
  ])("`guillotine %s`: our own message, exit 2", async (args, message) => {
    const ran = await guillotine(args);
    expect(ran.code).toBe(EXIT_USAGE);
    expect(ran.stderr.split("\n")[0]).toBe(message);
    expect(ran.stderr).not.toMatch(/ambiguous|ERR_PARSE_ARGS|To specify/);
  });

  it.each(["sim --board NOPE", "flash --board NOPE --port tcp://127.0.0.1:1"])("`guillotine %s`: unknown board, exit 2 like every usage error", async (args) => {
    const ran = await guillotine(args);
    expect(ran.code).toBe(EXIT_USAGE);
    expect(ran.stderr).toMatch(/: unknown board "NOPE"; one of: ESP32, MDBT42Q, PICO, WIFI/);
  });

  it("--help into a reader that stops early: no EPIPE, no colour codes", async () => {
    const ran = await shell(`node ${GUILLOTINE} ops --help | head -1; node ${GUILLOTINE} ops sign --help | head -2`);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/^usage: guillotine ops <subcommand> \[options\]\nusage: guillotine ops sign /);
    expect(ran.stdout).not.toContain(ESCAPE);
  });
});
