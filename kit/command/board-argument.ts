/** The --board value of sim and flash: a shipped profile id, or a usage error listing them. */
import { listProfiles } from "../../hardware/profile.ts";

/** The problem with `id` as a --board value, or undefined when it names a shipped profile. */
export function boardProblem(id: string | undefined): string | undefined {
  if (id === undefined) return "--board is missing, e.g. --board PICO";
  const known = listProfiles();
  return known.includes(id) ? undefined : `unknown board "${id}"; one of: ${known.join(", ")}`;
}
