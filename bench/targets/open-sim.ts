/** Opens a fresh simulated board for one scenario, provisioned with the bench configuration. */
import { loadProfile } from "../../hardware/profile.ts";
import { benchConfig } from "../harness/config.ts";
import type { OpenedTarget } from "../runner/run-scenarios.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { SimTarget } from "./sim-target.ts";

export function openSimTarget(boardId: string, bundlePath: string): (scenario: Scenario, seed: number) => Promise<OpenedTarget> {
  const profile = loadProfile(boardId);
  const linkDevices = [profile.links.host.device, profile.links.ops.device];
  return async (scenario, seed) => ({
    target: new SimTarget({ boardId, seed, bundlePath, config: benchConfig(seed, boardId, scenario.config), unprovisioned: scenario.unprovisioned, cpuModel: false }),
    linkDevices,
    fresh: true,
  });
}
