/** Level names and numbers as operators type them: "severed", "Severed" or "2" all mean 2. */
import { LEVEL_MAX, LEVEL_NAMES } from "./constants.ts";

/** The level `text` names, or an error message that lists the accepted names. */
export function parseLevelArgument(text: string): { level: number } | { error: string } {
  const lower = text.trim().toLowerCase();
  const byName = LEVEL_NAMES.indexOf(lower);
  if (byName >= 0) return { level: byName };
  if (/^[0-9]$/.test(lower) && Number(lower) <= LEVEL_MAX) return { level: Number(lower) };
  const accepted = LEVEL_NAMES.map((name, level) => `${name} (${level})`).join(", ");
  return { error: `unknown level "${text}"; use one of: ${accepted}` };
}

/** "severed (2)". */
export function describeLevel(level: number): string {
  return `${LEVEL_NAMES[level] ?? "unknown"} (${level})`;
}
