/**
 * A short run of every benchmark through `guillotine bench all --quick` (tiny trial counts, no
 * timing thresholds), so none of them can rot between real runs. Needs dist/ and socat, as
 * `make test` provides; skipped loudly otherwise.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BENCHMARK_NAMES, type BenchResults } from "./benchmarks/all.ts";
import { run } from "./cli/all.ts";

const BUNDLE = "dist/firmware-PICO.js";
const socat = (() => {
  try {
    execFileSync("socat", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!(existsSync(BUNDLE) && socat)) throw new Error(`the benchmark smoke test needs ${BUNDLE} (make build-all) and socat`);

describe("every benchmark, quick", () => {
  const folder = mkdtempSync(join(tmpdir(), "guillotine-bench-smoke-"));
  let results: BenchResults;
  let exitCode: number;

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    exitCode = await run(["--quick", "--seed", "7", "--out", join(folder, "latest.json"), "--report", join(folder, "latest.md")]);
    results = JSON.parse(readFileSync(join(folder, "latest.json"), "utf8"));
  }, 120_000);

  afterAll(() => vi.restoreAllMocks());

  it("writes every figure, none failed", () => {
    expect(Object.keys(results.figures)).toEqual([...BENCHMARK_NAMES]);
    const failed = Object.entries(results.figures).filter(([, figure]) => "error" in figure);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it("gives each figure its trials count and the machine", () => {
    for (const figure of Object.values(results.figures)) {
      expect((figure as { trials: number }).trials).toBeGreaterThan(0);
      expect(figure.machine).toMatchObject({ os: expect.any(String), cpuModel: expect.any(String), cores: expect.any(Number), node: process.version });
    }
  });

  it("measured what each benchmark is about", () => {
    const f = results.figures as Record<string, any>;
    expect(f.trip_latency_ms.samples.toCoilMs.length).toBe(f.trip_latency_ms.trials);
    expect(f.trip_latency_ms.toCoilMs.min).toBeGreaterThanOrEqual(0);
    expect(f.end_to_end_ms.killToPowerOpenMs.trials).toBe(1);
    expect(f.heartbeat_rate.fractionOfLineRate).toBeGreaterThan(0);
    expect(f.soak).toMatchObject({ falseTrips: 0, refused: 0, pathOpenings: 0, acked: 2000 });
    expect(f.footprint.boards.find((b: { board: string }) => b.board === "PICO").bytes).toBeGreaterThan(0);
    expect(f.agent_cpu_us_per_heartbeat.usPerHeartbeat).toBeGreaterThan(0);
    const pico = f.board_cpu_memory.boards.find((b: { board: string }) => b.board === "PICO");
    expect(pico.heartbeatMs).toBeGreaterThan(0);
    // The firmware goes in as boot code (guillotine flash); a RAM upload of today's top-level bundle may fit or not.
    expect(pico.memory.bootcode.uploads).toBe(true);
    expect(pico.memory.bootcode.afterBootBlocks).toBeGreaterThan(0);
    expect(readFileSync(join(folder, "latest.md"), "utf8")).toContain("trip_latency_ms");
  });
});
