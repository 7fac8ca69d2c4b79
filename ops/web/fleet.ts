/** The fleet at a glance: how many controllers, how many answer, how many sit at each level. */
import { LEVEL_NAMES } from "../../protocol/constants.ts";
import type { ControllerView } from "../daemon/controller-view.ts";

export interface FleetSummary {
  controllers: number;
  answering: number;
  linksDown: number;
  /** Controllers per level name, every level listed. */
  levels: Record<string, number>;
  /** The highest level any answering controller reports. */
  highestLevel: number | undefined;
}

export function fleetSummary(views: ControllerView[]): FleetSummary {
  const levels = Object.fromEntries(LEVEL_NAMES.map((name) => [name, 0]));
  let highestLevel: number | undefined;
  for (const view of views) {
    if (view.level === undefined) continue;
    levels[LEVEL_NAMES[view.level]] += 1;
    if (view.answering && (highestLevel === undefined || view.level > highestLevel)) highestLevel = view.level;
  }
  return {
    controllers: views.length,
    answering: views.filter((view) => view.answering).length,
    linksDown: views.filter((view) => view.link !== "up").length,
    levels,
    highestLevel,
  };
}
