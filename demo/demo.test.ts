/**
 * `make demo` as a test: runs the non-interactive demo as a child process, exactly as the
 * Makefile does, and checks that it exits 0, that the summary reports every step ok, and that
 * it left nothing behind (attester processes, its working directory, the simulator's ptys).
 *
 * Needs dist/firmware-PICO.js: `make test` builds every board before the tests; on its own,
 * run `make build` first. Without it the test fails and says so (it is not skipped).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = join(import.meta.dirname, "..");
const FIRMWARE = join(REPO, "dist", "firmware-PICO.js");
const STEPS = 7;

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(REPO, "node_modules", ".bin", "tsx"), ["demo/demo.ts"], {
      cwd: REPO, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("make demo", () => {
  it("tells the whole story on the simulated board, every step as expected, and cleans up", async () => {
    expect(existsSync(FIRMWARE), `the demo needs ${FIRMWARE}: run \`make build\` (make test builds every board first)`).toBe(true);
    const { code, output } = await runDemo();
    expect(code, output).toBe(0);

    const summary = output.slice(output.indexOf("== summary"));
    const rows = summary.split("\n").filter((line) => /^\d /.test(line));
    expect(rows, summary).toHaveLength(STEPS);
    for (const row of rows) expect(row, summary).toMatch(/\sok$/);
    expect(summary).toContain(`all ${STEPS} steps as expected`);
    expect(output).toMatch(/severed [\d,]+ ms after the last heartbeat \(deadline 500 ms/);
    expect(output).toMatch(/offline [\d,]+ ms after the last heartbeat \(deadline 3,000 ms/);
    expect(output).toMatch(/guillotine\/demo-rack\/state \(retained\) \{.*"levelName":"offline","cause":"estop"/);

    // Nothing left behind: attesters, bridges, the working directory, the simulator's run directory.
    const pids = [...output.matchAll(/ (?:agent|bridge) pid (\d+)/g)].map((match) => Number(match[1]));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `process ${pid} still running`).toBe(false);
    const workDir = /working directory \$D = (\S+)/.exec(output)?.[1];
    expect(workDir).toBeDefined();
    expect(existsSync(workDir as string)).toBe(false);
    const simDir = /host link (\S+)\/host\b/.exec(output)?.[1];
    expect(simDir).toBeDefined();
    expect(existsSync(simDir as string)).toBe(false);
  }, 120_000);
});
