/**
 * Board profiles: hardware/profiles/<ID>.json, the single source of pin truth for the
 * firmware build, the simulator and the wiring diagrams. Everything that reads a profile goes
 * through `loadProfile`, so a profile that breaks a rule is refused before any code uses it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { WATCHDOG_MS } from "../protocol/config-limits.ts";
import type { BoardProfile, InputProfile } from "./profile-types.ts";
import { profileError } from "./profile-shape.ts";
import { pinUses, validateProfile } from "./profile-validate.ts";

export { pinUses, validateProfile };

const PROFILES_DIRECTORY = new URL("./profiles/", import.meta.url);

/** Ids of the shipped profiles (file names without .json), sorted. */
export function listProfiles(): string[] {
  return readdirSync(PROFILES_DIRECTORY)
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

/** Reads, parses and validates profile `id`; throws an Error naming the profile, field and fix. */
export function loadProfile(id: string): BoardProfile {
  const known = listProfiles();
  if (!known.includes(id)) {
    throw profileError(id, "id", `no such profile (no hardware/profiles/${id}.json)`, `use one of ${known.join(", ")}`);
  }
  const source = `hardware/profiles/${id}.json`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(new URL(`${id}.json`, PROFILES_DIRECTORY), "utf8"));
  } catch (error) {
    throw profileError(source, "(file)", `is not valid JSON (${(error as Error).message})`, "fix the JSON syntax");
  }
  const profile = validateProfile(value, source);
  if (profile.id !== id) throw profileError(source, "id", `is "${profile.id}" but the file is ${id}.json`, `set "id" to "${id}"`);
  return profile;
}

/** The shipped profile of the board whose process.env.BOARD is `espruinoBoard`, if any. */
export function profileForEspruinoBoard(espruinoBoard: string): BoardProfile | undefined {
  for (const id of listProfiles()) {
    const profile = loadProfile(id);
    if (profile.espruinoBoard === espruinoBoard) return profile;
  }
  return undefined;
}

/**
 * The watchdog timeout the board really gives for the firmware's WATCHDOG_MS request:
 * docs/espruino.md section 2, the ESP32 rounds it to whole seconds. The controller refuses a
 * configuration with a heartbeat deadline shorter than this.
 */
/** pinMode of an input with the profile's pull. */
export function inputPinMode(input: InputProfile): string {
  return input.pull === "up" ? "input_pullup" : input.pull === "down" ? "input_pulldown" : "input";
}

export function boardWatchdogMs(profile: BoardProfile): number {
  return profile.mcuFamily === "esp32" ? Math.ceil(WATCHDOG_MS / 1000) * 1000 : WATCHDOG_MS;
}
