/** What a bench run produces: one result per scenario, plus the run's identity. */
import type { TimelineEvent } from "../harness/timeline.ts";
import type { Measurement } from "../scenarios/scenario.ts";

export type Status = "pass" | "fail" | "skip";

export interface ScenarioResult {
  id: string;
  title: string;
  requirements: string[];
  status: Status;
  /** Why it failed (scenario checks first, then checker violations) or was skipped. */
  failures: string[];
  skipReason?: string;
  /** Seed this scenario ran with (derived from the run seed and the id). */
  seed: number;
  wallMs: number;
  /** Target time the scenario covered (virtual ms on the simulated board). */
  targetMs: number;
  measurements: Measurement[];
  notes: string[];
  /** Kept for failing scenarios and those that measured something, for the report's plots. */
  timeline?: TimelineEvent[];
  pathKinds: readonly string[];
}

/** How the probe's clock was correlated with the bench's (serial runs), as of the last correlation. */
export interface ProbeClock {
  offsetMs: number;
  uncertaintyMs: number;
  driftPpm: number;
  /** Correlations the drift was fitted through (one per scenario, plus the first). */
  correlations: number;
}

export interface RunReport {
  target: "sim" | "serial";
  /** Serial runs: the probe's clock correlation. */
  probeClock?: ProbeClock;
  board: string;
  seed: number;
  startedAt: string;
  wallMs: number;
  results: ScenarioResult[];
}

export function counts(report: RunReport): Record<Status, number> {
  const tally: Record<Status, number> = { pass: 0, fail: 0, skip: 0 };
  for (const result of report.results) tally[result.status]++;
  return tally;
}
