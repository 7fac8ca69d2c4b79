/** Every scenario, in the order the runner plays them. */
import { AUTHORITY } from "./authority.ts";
import { EVIDENCE } from "./evidence.ts";
import { FIRMWARE_FAULTS } from "./firmware-faults.ts";
import { HEARTBEAT_LOSS } from "./heartbeat-loss.ts";
import { HOST_FORGERY } from "./host-forgery.ts";
import { INPUTS } from "./inputs.ts";
import { IRREVERSIBLE } from "./irreversible.ts";
import { LINK_ABUSE } from "./link-abuse.ts";
import { POWER_LOSS } from "./power-loss.ts";
import { RELAY_FAULTS } from "./relay-faults.ts";
import { REPL_INJECTION } from "./repl-injection.ts";
import type { Scenario } from "./scenario.ts";

export const SCENARIOS: Scenario[] = [
  ...HEARTBEAT_LOSS, ...HOST_FORGERY, ...LINK_ABUSE, ...REPL_INJECTION, ...AUTHORITY, ...IRREVERSIBLE,
  ...INPUTS, ...RELAY_FAULTS, ...POWER_LOSS, ...FIRMWARE_FAULTS, ...EVIDENCE,
];

/** Scenarios whose id matches one of `patterns` (substring match); all when none given. */
export function selectScenarios(patterns: string[]): Scenario[] {
  if (patterns.length === 0) return SCENARIOS;
  const chosen = SCENARIOS.filter((scenario) => patterns.some((pattern) => scenario.id.includes(pattern)));
  if (chosen.length === 0) throw new Error(`no scenario matches ${patterns.join(", ")}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  return chosen;
}
