/**
 * Runs scenarios one after the other, each on a fresh target from `open`, then judges each
 * recorded timeline with the checkers. The run seed is printed first; each scenario's seed is
 * derived from it and its id, so one scenario can be replayed alone with the same numbers.
 */
import { Rng } from "../../simulator/rng.ts";
import { runCheckers } from "../checkers/index.ts";
import { Session } from "../harness/session.ts";
import { CheckFailure, type Measurement, type Scenario, type ScenarioContext } from "../scenarios/scenario.ts";
import { CAPABILITY_MEANING, type Capability, type Target } from "../targets/target.ts";
import type { RunReport, ScenarioResult } from "./results.ts";

export interface OpenedTarget {
  target: Target;
  /** Devices of the host and ops links, for the console checker. */
  linkDevices?: string[];
  /** The controller starts from a freshly provisioned flash. */
  fresh: boolean;
}

export interface RunOptions {
  seed: number;
  board: string;
  targetKind: "sim" | "serial";
  /** Opens a target for one scenario, seeded. */
  open(scenario: Scenario, seed: number): Promise<OpenedTarget>;
  /** Called before and after each scenario, for progress output. */
  progress?(index: number, total: number, scenario: Scenario, result?: ScenarioResult): void;
}

/** Target time allowed after a scenario for relays to settle before judging. */
export const SETTLE_AFTER_SCENARIO_MS = 100;

export function scenarioSeed(runSeed: number, id: string): number {
  return new Rng(runSeed).derive(id).seed;
}

/** What `scenario` needs of a target: its declared needs, and provisioning when it brings its own configuration. */
export function neededCapabilities(scenario: Scenario): Capability[] {
  const provisioning: Capability[] = scenario.config !== undefined || scenario.unprovisioned === true ? ["provisioning"] : [];
  return [...(scenario.needs ?? []), ...provisioning];
}

/** Why `scenario` cannot run on `target`, naming each missing capability and what it means; undefined when it can. */
export function skipReason(scenario: Scenario, target: Pick<Target, "kind" | "capabilities">): string | undefined {
  const missing = neededCapabilities(scenario).filter((need) => !target.capabilities.has(need));
  return missing.length === 0 ? undefined : `the ${target.kind} target lacks ${missing.map((need) => `${need} (${CAPABILITY_MEANING[need]})`).join(", ")}`;
}

function context(target: Target, seed: number, measurements: Measurement[], notes: string[]): ScenarioContext {
  return {
    target,
    session: new Session(target),
    rng: new Rng(seed),
    check(condition, message) {
      if (!condition) throw new CheckFailure(message);
    },
    measure: (name, valueMs) => void measurements.push({ name, valueMs }),
    note: (text) => void notes.push(text),
  };
}

/** Runs one scenario on an opened target and judges it. Never throws for a scenario's failure. */
export async function runOne(scenario: Scenario, opened: OpenedTarget, seed: number): Promise<ScenarioResult> {
  const { target } = opened;
  const measurements: Measurement[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  const started = performance.now();
  const startMs = target.nowMs();
  const skip = skipReason(scenario, target);
  if (skip === undefined) {
    try {
      await scenario.run(context(target, seed, measurements, notes));
    } catch (error) {
      failures.push(error instanceof CheckFailure ? error.message : `scenario crashed: ${(error as Error).stack ?? error}`);
    }
    // Let contacts finish moving, so the checkers see where the last commands led.
    await target.wait(SETTLE_AFTER_SCENARIO_MS);
    const snapshot = target.capabilities.has("internals") ? target.snapshot() : undefined;
    failures.push(...runCheckers({
      timeline: target.timeline, config: target.config, pathKinds: target.pathKinds, capabilities: target.capabilities, linkAllowanceMs: target.linkAllowanceMs, cpuAllowanceMs: target.cpuAllowanceMs,
      fresh: opened.fresh, snapshot, linkDevices: opened.linkDevices, endMs: target.nowMs(),
    }));
  }
  const status = skip !== undefined ? "skip" : failures.length > 0 ? "fail" : "pass";
  const keepTimeline = status === "fail" || measurements.length > 0;
  return {
    id: scenario.id, title: scenario.title, requirements: scenario.requirements, status, failures, skipReason: skip, seed,
    wallMs: performance.now() - started, targetMs: target.nowMs() - startMs, measurements, notes,
    timeline: keepTimeline ? [...target.timeline.events] : undefined, pathKinds: target.pathKinds,
  };
}

export async function runScenarios(scenarios: Scenario[], options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    options.progress?.(index, scenarios.length, scenario);
    const seed = scenarioSeed(options.seed, scenario.id);
    const opened = await options.open(scenario, seed);
    try {
      results.push(await runOne(scenario, opened, seed));
    } finally {
      await opened.target.close();
    }
    options.progress?.(index, scenarios.length, scenario, results.at(-1));
  }
  return {
    target: options.targetKind, board: options.board, seed: options.seed, startedAt: new Date().toISOString(),
    wallMs: performance.now() - started, results,
  };
}
