/**
 * How an input switch drives its pin, from the profile's `active` level and `pull`. The pull
 * is chosen so that a broken wire reads as the fail-safe state, so:
 * - pull towards the active level: a normally-closed contact holds the pin at the inactive
 *   level; pressing (or a cut wire) opens it and the pull makes the pin active;
 * - pull away from the active level: a normally-open contact drives the active level when
 *   pressed, the pull holds the inactive level otherwise;
 * - no pull: the source drives both levels (a powered sensor or key switch).
 * If the firmware forgets to enable the pull, an open contact leaves the pin floating.
 */
import type { InputProfile } from "../../hardware/profile-types.ts";
import type { Level } from "../mcu/pins.ts";

export function switchDrive(input: InputProfile, active: boolean): Level | undefined {
  const activeLevel: Level = input.active === "high" ? 1 : 0;
  const inactiveLevel: Level = activeLevel === 1 ? 0 : 1;
  if (input.pull === "none") return active ? activeLevel : inactiveLevel;
  const pullLevel: Level = input.pull === "up" ? 1 : 0;
  if (pullLevel === activeLevel) return active ? undefined : inactiveLevel;
  return active ? activeLevel : undefined;
}

/** Whether a pin level means "active" for this input. */
export function isActiveLevel(input: InputProfile, level: Level): boolean {
  return level === (input.active === "high" ? 1 : 0);
}
