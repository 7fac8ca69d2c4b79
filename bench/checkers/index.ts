/** Every checker, run on every scenario and fuzz epoch whose target offers what it needs. */
import type { CheckInput, Checker } from "./checker.ts";
import { closedNeedsFreshHeartbeat } from "./closed-needs-fresh-heartbeat.ts";
import { consoleOffLinks } from "./console-off-links.ts";
import { errorRepliesBounded } from "./error-replies-bounded.ts";
import { firmwareHealthy, noUnprovokedReset } from "./firmware-healthy.ts";
import { levelLoweredOnlyByQuorum } from "./level-lowered-only-by-quorum.ts";
import { pathsFollowLevel } from "./paths-follow-level.ts";
import { startupTestBeforeClose } from "./startup-test-before-close.ts";

export const CHECKERS: Checker[] = [
  levelLoweredOnlyByQuorum, pathsFollowLevel, closedNeedsFreshHeartbeat, startupTestBeforeClose,
  firmwareHealthy, noUnprovokedReset, errorRepliesBounded, consoleOffLinks,
];

/** Runs every applicable checker; each violation is prefixed with the checker's name and requirement. */
export function runCheckers(input: CheckInput, checkers = CHECKERS): string[] {
  return checkers
    .filter((checker) => (checker.needs ?? []).every((need) => input.capabilities.has(need)))
    .flatMap((checker) => checker.check(input).map((violation) => `[${checker.name}, ${checker.requirement}] ${violation}`));
}
