/**
 * The "relay-faults" capability is honest: every fault a scenario needing it injects is one a
 * fault switch of the real bench makes (PROBE.faultSwitches, hardware/probe.md), so on the
 * serial target none of them can fail for want of a switch. Checked by running those
 * scenarios on the simulated board and recording what they inject.
 */
import { describe, expect, it } from "vitest";
import { PROBE } from "../../hardware/probe-pins.ts";
import type { Fault } from "../../simulator/faults.ts";
import { runScenarios } from "../runner/run-scenarios.ts";
import { SCENARIOS } from "../scenarios/index.ts";
import { openSimTarget } from "./open-sim.ts";
import { faultSwitchFor } from "./serial-target.ts";
import { bundlePathFor } from "./sim-target.ts";

const BOARD = "PICO";

describe("relay fault switches", () => {
  it("make every fault the scenarios needing relay-faults inject, and those scenarios pass on the simulated board", async () => {
    const scenarios = SCENARIOS.filter((scenario) => scenario.needs?.includes("relay-faults"));
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    const injected: Fault[] = [];
    const open = openSimTarget(BOARD, bundlePathFor(BOARD));
    const report = await runScenarios(scenarios, {
      seed: 7, board: BOARD, targetKind: "sim",
      open: async (scenario, seed) => {
        const opened = await open(scenario, seed);
        const inject = opened.target.inject.bind(opened.target);
        opened.target.inject = (fault) => (injected.push(fault), inject(fault));
        return opened;
      },
    });
    expect(report.results.map((r) => [r.id, r.status, r.failures])).toEqual(scenarios.map((s) => [s.id, "pass", []]));
    expect(injected.length).toBeGreaterThanOrEqual(scenarios.length);
    for (const fault of injected) expect(faultSwitchFor(fault), JSON.stringify(fault)).toBeDefined();
  });

  it("name distinct pins and faults, each a relay of every profile", () => {
    expect(new Set(PROBE.faultSwitches.map((s) => s.pin)).size).toBe(PROBE.faultSwitches.length);
    expect(new Set(PROBE.faultSwitches.map((s) => JSON.stringify(s.fault))).size).toBe(PROBE.faultSwitches.length);
    for (const { fault } of PROBE.faultSwitches) expect(fault.relay).toBeLessThan(PROBE.coilTapPins.length);
    expect(faultSwitchFor({ kind: "feedback-stuck", relay: 0, level: 0 })).toBeUndefined();
    expect(faultSwitchFor({ kind: "firmware-hang" })).toBeUndefined();
  });
});
