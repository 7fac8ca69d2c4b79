/**
 * Every bench scenario against the simulated board running dist/firmware-PICO.js, in virtual
 * time, through the same runner `guillotine bench run --target sim` uses: each must pass, on
 * two seeds, and a seed must replay the same run.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenarios } from "./runner/run-scenarios.ts";
import type { RunReport } from "./runner/results.ts";
import { SCENARIOS } from "./scenarios/index.ts";
import { openSimTarget } from "./targets/open-sim.ts";

const BUNDLE = "dist/firmware-PICO.js";
if (!existsSync(BUNDLE)) throw new Error(`the bench scenarios need ${BUNDLE}: run \`make build-all\` (make test does)`);

describe("bench scenarios on the simulated board", () => {
  const reports = new Map<number, Promise<RunReport>>();
  const report = (seed: number): Promise<RunReport> => {
    if (!reports.has(seed)) reports.set(seed, runScenarios(SCENARIOS, { seed, board: "PICO", targetKind: "sim", open: openSimTarget("PICO", BUNDLE) }));
    return reports.get(seed)!;
  };

  for (const seed of [1, 20261126]) {
    for (const scenario of SCENARIOS) {
      it(`${scenario.id} (seed ${seed})`, async () => {
        const result = (await report(seed)).results.find((r) => r.id === scenario.id)!;
        expect(result.failures, result.failures.join("\n")).toEqual([]);
        expect(result.status).toBe("pass");
      });
    }
  }

  it("is deterministic: the same seed gives the same run", async () => {
    const again = await runScenarios(SCENARIOS.slice(0, 6), { seed: 1, board: "PICO", targetKind: "sim", open: openSimTarget("PICO", BUNDLE) });
    const first = (await report(1)).results.slice(0, 6);
    expect(again.results.map((r) => [r.id, r.status, r.targetMs, r.measurements])).toEqual(first.map((r) => [r.id, r.status, r.targetMs, r.measurements]));
  });
});
