/**
 * The controller configuration the bench provisions into a simulated board. Keys are derived
 * from the run's seed, so two runs with the same seed sign the same frames (replayable), and
 * nothing here is a key anyone uses outside the bench.
 */
import { createHash } from "node:crypto";
import { validateConfig, type ControllerConfig } from "../../protocol/config.ts";
import { CHALLENGE_TTL_S_MIN } from "../../protocol/config-limits.ts";
import { boardWatchdogMs as watchdogOf, loadProfile } from "../../hardware/profile.ts";

/** Controller id of the simulated board under test. */
export const BENCH_CONTROLLER_ID = "bench-sim";
export const BENCH_OPERATORS = 3;
export const BENCH_QUORUM = 2;

function derivedHex(seed: number, purpose: string, hexChars: number): string {
  return createHash("sha256").update(`guillotine-bench|${seed}|${purpose}`).digest("hex").slice(0, hexChars);
}

/** The allowlisted attestation digest the bench's attester reports. */
export function benchMeasurement(seed: number): string {
  return derivedHex(seed, "measurement", 32);
}

/** The board's watchdog timeout as the build compiles it in; shorter deadlines are refused. */
export function boardWatchdogMs(boardId: string): number {
  return watchdogOf(loadProfile(boardId));
}

/**
 * A valid configuration for `seed` and board `boardId`, with the shipped defaults (deadlines
 * 1000/500/3000 ms, flood 8 per second, quorum 2 of 3) unless `overrides` changes them; any
 * deadline below the board's watchdog timeout is raised to it, as the firmware demands.
 */
export function benchConfig(seed: number, boardId: string, overrides: Partial<ControllerConfig> = {}): ControllerConfig {
  const watchdogMs = boardWatchdogMs(boardId);
  const deadlineMs = (overrides.deadlineMs ?? [1000, 500, 3000]).map((ms) => Math.max(ms, watchdogMs));
  const given = {
    version: 1,
    id: BENCH_CONTROLLER_ID,
    hostKey: derivedHex(seed, "host", 64),
    operators: Array.from({ length: BENCH_OPERATORS }, (_, index) => derivedHex(seed, `operator${index}`, 64)),
    quorum: BENCH_QUORUM,
    measurements: [benchMeasurement(seed)],
    ...overrides,
    deadlineMs,
  };
  const result = validateConfig(given);
  if (result.config === undefined) throw new Error(`bench configuration invalid: ${result.errors.join("; ")}`);
  return result.config;
}

/**
 * The configuration `guillotine sim --pair` provisions: the bench's, with the shortest challenge
 * lifetime the firmware accepts (the scenario that lets a challenge expire then waits 10 s of
 * real time, not five minutes) and a relay settle time that a simulator sharing a busy machine
 * meets (its relays move in 5 ms, but its timers can fire tens of ms late under load).
 */
export function benchPairConfig(seed: number, boardId: string): ControllerConfig {
  return benchConfig(seed, boardId, { challengeTtlS: CHALLENGE_TTL_S_MIN, relaySettleMs: PAIR_RELAY_SETTLE_MS });
}

/** See benchPairConfig. */
export const PAIR_RELAY_SETTLE_MS = 100;
