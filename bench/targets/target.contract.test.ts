/**
 * One contract, two implementations, one suite (bench/targets/target-contract.ts), run on:
 * - the simulated board (virtual time);
 * - the serial target over the simulated bench pair (what `guillotine sim --pair` starts, in
 *   this process so that it adds no process to a loaded machine: real ptys, the probe firmware
 *   uploaded through the probe's console, the probe's clock 1000 ppm fast), where the
 *   scenarios' verdicts must also match the simulated board's;
 * - a real bench, when BENCH_PORT and BENCH_PROBE_PORT are set (with BENCH_OPS_PORT and
 *   BENCH_CONFIG; docs/bench.md). Otherwise that run is skipped, and says so loudly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchConfig, benchPairConfig } from "../harness/config.ts";
import { DRIFT_SPAN_MIN_MS } from "../probe/clock-offset.ts";
import { runScenarios } from "../runner/run-scenarios.ts";
import type { RunReport } from "../runner/results.ts";
import { selectScenarios } from "../scenarios/index.ts";
import { PAIR_LINK_ALLOWANCE_MS, startBenchPair, type RunningBenchPair } from "../../simulator/bench-pair.ts";
import { toJUnit } from "../report/junit.ts";
import { htmlReport } from "../report/run-report.ts";
import { openSerialTargets, probeClockOf, type SerialOptions } from "./open-serial.ts";
import { openSimTarget } from "./open-sim.ts";
import { bundlePathFor, SimTarget } from "./sim-target.ts";
import { describeTargetContract } from "./target-contract.ts";

const BOARD = "PICO";
const SEED = 20261203;
const DRIFT_PPM = 1000;

/**
 * The scenarios compared in `make test` (the full set runs in about 2 min of real time on the
 * pair: `guillotine bench run --target serial`, docs/bench.md): a deadline trip, a forgery, a
 * power cycle, the e-stop during a restore, a quorum restore (its relay test judged on the coil
 * taps), an irreversible refusal, a host trying to lower the level, a weld made by the bench's
 * fault switch; and four the serial target must skip, one per missing capability.
 */
const COMPARED = [
  "heartbeat-loss-standard", "forged-mac", "replay-across-sessions", "estop-during-restore", "quorum-restore-2-of-3",
  "irreversible-without-arm", "host-cannot-lower", "relay-weld-running",
  "watchdog-starvation", "irreversible-with-arm", "sync-burst-host", "config-missing",
];

describeTargetContract("simulated board", async () => new SimTarget({ boardId: BOARD, seed: SEED, bundlePath: bundlePathFor(BOARD), config: benchConfig(SEED, BOARD) }));

describe("serial target on the simulated bench pair", () => {
  let pair: RunningBenchPair;
  const diagnostics: string[] = [];
  let serial: Awaited<ReturnType<typeof openSerialTargets>>;

  beforeAll(async () => {
    pair = await startBenchPair({ boardId: BOARD, bundlePath: bundlePathFor(BOARD), config: benchPairConfig(SEED, BOARD), seed: SEED, driftPpm: DRIFT_PPM, onDiagnostic: (text) => diagnostics.push(text) });
    const { dut, probe, config } = pair.endpoints;
    const options: SerialOptions = { board: BOARD, host: dut.host, ops: dut.ops, probe: probe.consolePty, config, "operator-key": [], baud: "115200", "link-allowance-ms": String(PAIR_LINK_ALLOWANCE_MS) };
    serial = await openSerialTargets(options);
  });

  afterAll(async () => {
    await serial?.close();
    await pair?.close();
  });

  describeTargetContract("serial target over the pair", async () => (await serial.open()).target);

  it("gives the simulated board's verdict for every compared scenario it can run, and says why it skips the others", async () => {
    const scenarios = selectScenarios([]).filter((scenario) => COMPARED.includes(scenario.id));
    expect(scenarios.map((s) => s.id).sort()).toEqual([...COMPARED].sort());
    const sim = await runScenarios(scenarios, { seed: SEED, board: BOARD, targetKind: "sim", open: openSimTarget(BOARD, bundlePathFor(BOARD)) });
    const real = await runScenarios(scenarios, { seed: SEED, board: BOARD, targetKind: "serial", open: serial.open });
    const verdicts = (report: RunReport) => Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    const table = scenarios.map((s, i) => `${s.id}: sim ${sim.results[i].status}, serial ${real.results[i].status} ${real.results[i].failures.join("; ")}${real.results[i].skipReason ?? ""}`);
    const lastLines = (result: RunReport["results"][number]) => (result.timeline ?? []).filter((e) => e.kind === "rx" || e.kind === "tx").slice(-12).map((e) => `    ${e.atMs.toFixed(1)} ${e.kind} ${"link" in e ? e.link : ""} ${JSON.stringify("text" in e ? e.text : "")}`);
    const failing = real.results.filter((r) => r.status === "fail").flatMap((r) => [`  ${r.id}, its last lines:`, ...lastLines(r)]);
    console.log(`bench verdicts, simulated board vs serial target on the pair:\n  ${table.join("\n  ")}\n${[...failing, ...diagnostics].join("\n")}`);
    for (const result of real.results.filter((r) => r.status === "skip")) expect(result.skipReason).toMatch(/the serial target lacks \w/);
    expect(real.results.filter((r) => r.status === "skip").map((r) => r.id).sort()).toEqual(["config-missing", "irreversible-with-arm", "sync-burst-host", "watchdog-starvation"]);
    expect(sim.results.every((r) => r.status === "pass")).toBe(true);
    for (const result of real.results) if (result.status !== "skip") expect({ id: result.id, verdict: result.status, failures: result.failures }).toEqual({ id: result.id, verdict: verdicts(sim)[result.id], failures: [] });

    // The report a lab files, and the JUnit CI reads, for the serial run.
    real.probeClock = probeClockOf(serial.bench);
    const html = htmlReport(real);
    expect(html).toContain("Target <b>serial</b>");
    expect(html).toMatch(/Probe clock: offset -?\d+\.\d{3} ms \+- \d+\.\d{3} ms, drift -?\d+\.\d ppm fitted through \d+ correlations/);
    for (const requirement of ["SR-4", "SR-5", "SR-13", "SR-10"]) expect(html).toContain(requirement);
    expect(html).toContain("due to contact open");
    expect(html).toContain("<h3>heartbeat-loss-standard (pass)</h3>");
    const xml = toJUnit(real);
    expect(xml).toContain(`<testsuite name="bench.serial.${BOARD}" tests="${COMPARED.length}" failures="0" skipped="4"`);
    expect(xml).toContain('<testcase classname="bench.serial" name="estop-during-restore"');
    expect(xml).toContain('<skipped message="the serial target lacks arm (turning the arm key');
  });

  it("fits the probe's clock drift across the run's correlations (1000 ppm fast)", () => {
    const offset = serial.bench.probe.offset!;
    // Every scenario and contract test correlated again; together they span well over the minimum.
    expect(offset.atMs).toBeGreaterThan(DRIFT_SPAN_MIN_MS);
    expect(Math.abs(offset.driftPpm - DRIFT_PPM)).toBeLessThan(300);
    expect(offset.uncertaintyMs).toBeLessThan(20);
  });
});

const hardware = process.env.BENCH_PORT !== undefined && process.env.BENCH_PROBE_PORT !== undefined;
if (!hardware) {
  console.warn([
    "",
    "**********************************************************************************",
    "*  HARDWARE-IN-THE-LOOP RUN SKIPPED: BENCH_PORT and BENCH_PROBE_PORT are not set. *",
    "*  The Target contract ran on the simulated board and the simulated bench pair;   *",
    "*  to run it on a real bench see docs/bench.md (\"Real hardware\").                  *",
    "**********************************************************************************",
    "",
  ].join("\n"));
}

describe.skipIf(!hardware)("serial target on a real bench (BENCH_PORT, BENCH_PROBE_PORT)", () => {
  let serial: Awaited<ReturnType<typeof openSerialTargets>>;

  beforeAll(async () => {
    const missing = ["BENCH_OPS_PORT", "BENCH_CONFIG"].filter((name) => process.env[name] === undefined);
    if (missing.length > 0) throw new Error(`a real bench run needs ${missing.join(" and ")} as well (the ops link's port, the configuration the controller was provisioned with): docs/bench.md`);
    serial = await openSerialTargets({
      board: process.env.BENCH_BOARD ?? BOARD, host: process.env.BENCH_PORT, ops: process.env.BENCH_OPS_PORT, probe: process.env.BENCH_PROBE_PORT,
      config: process.env.BENCH_CONFIG, "operator-key": [], baud: process.env.BENCH_BAUD ?? "115200",
    });
  });

  afterAll(async () => {
    await serial?.close();
  });

  describeTargetContract("serial target on the real bench", async () => (await serial.open()).target);
});
