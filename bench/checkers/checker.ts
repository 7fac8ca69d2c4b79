/**
 * A checker judges one recorded run against one safety property. Checkers only read the
 * timeline (never inject, never drive the target), so the same checker judges a scenario, a
 * fuzz run or a real board, as TigerBeetle keeps its checkers apart from its fault injection.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import type { BoardSnapshot } from "../../simulator/simulated-board.ts";
import type { Timeline } from "../harness/timeline.ts";
import type { Capability } from "../targets/target.ts";

export interface CheckInput {
  timeline: Timeline;
  config: ControllerConfig;
  pathKinds: readonly string[];
  capabilities: ReadonlySet<Capability>;
  /** The controller started from a freshly provisioned flash (no state slots). */
  fresh: boolean;
  /** Internals at the end of the run, where the target offers them. */
  snapshot?: BoardSnapshot;
  /** Target time the recording ends: nothing after it can be judged. */
  endMs: number;
  /** Target.linkAllowanceMs of the target recorded (default 0: exact times). */
  linkAllowanceMs?: number;
  /** Target.cpuAllowanceMs of the target recorded (default 0: a board that takes no time). */
  cpuAllowanceMs?: number;
  /** Devices of the host and ops links (where the console must never be). */
  linkDevices?: string[];
}

export interface Checker {
  name: string;
  /** The requirement it guards (docs/requirements.md). */
  requirement: string;
  needs?: Capability[];
  /** Every violation found, each saying what was expected and what was seen, with times. */
  check(input: CheckInput): string[];
}

/** Time a correct controller needs between deciding and the contact being open, plus frame delay. */
export const GRACE_MS = 15;

/** GRACE_MS, plus the target's link and CPU allowances (Target.linkAllowanceMs, Target.cpuAllowanceMs). */
export function graceMs(input: Pick<CheckInput, "linkAllowanceMs" | "cpuAllowanceMs">): number {
  return GRACE_MS + (input.linkAllowanceMs ?? 0) + (input.cpuAllowanceMs ?? 0);
}

export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}
