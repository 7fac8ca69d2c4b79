/**
 * Part designators shared by every diagram, so that "K3" or "S1" names the same part in the
 * controller, path and probe diagrams and in bom.md. Relay Kn is relay n-1 of the profile
 * (profile order, two per path), which is also bit n-1 of the firmware's coil mask.
 */
import type { BoardProfile, InputProfile, PathKind } from "../profile-types.ts";

export type InputName = keyof BoardProfile["inputs"];

export const INPUT_NAMES: InputName[] = ["estop", "tamper", "arm", "maintenance"];

function relayName(relayIndex: number): string {
  return `K${relayIndex + 1}`;
}

/** Both relays of one path never share a driver chip: a shorted driver closes only one of them. */
export function driverName(relayInPath: number): string {
  return `U${relayInPath + 1} ULN2803A`;
}

/** What relay Kn physically is, for a path of this kind. */
export function relayParts(kind: PathKind, relayIndex: number): string {
  const name = relayName(relayIndex);
  if (kind === "network") return `${name}a+${name}b 2x G7SA-4A2B`;
  if (kind === "power") return `${name} G7SA-3A1B -> Q${relayIndex + 1}`;
  return `${name} G7SA-3A1B`;
}

/** The normally-closed contacts in series that feed relay Kn's feedback input. */
export function feedbackChain(kind: PathKind, relayIndex: number): string {
  const name = relayName(relayIndex);
  if (kind === "network") return `${name}a NC + ${name}b NC`;
  if (kind === "power") return `${name} NC + Q${relayIndex + 1} mirror NC`;
  return `${name} NC`;
}

const INPUT_PARTS: Record<InputName, string> = {
  estop: "S1 e-stop (2nd contact: contactors)",
  tamper: "S2 enclosure tamper switch",
  arm: "S3 key switch (2nd contact: actuators)",
  maintenance: "J1 maintenance strap",
};

/** The external pull resistor fitted beside the pin, in the same direction as the internal one. */
export function pullResistor(input: InputProfile): string {
  return input.pull === "up" ? "4.7k to 3V3" : "10k to GND";
}

/** How the switch is wired so that the profile's active level and pull make sense. */
export function switchWiring(name: InputName, input: InputProfile): string {
  const closedLevel = input.pull === "up" ? "low" : "high";
  const closedIsActive = closedLevel === input.active;
  const contact = closedIsActive ? "NO" : "NC loop";
  const rail = input.pull === "up" ? "GND" : "3V3 via 1k";
  return `${INPUT_PARTS[name]}: ${contact} to ${rail}`;
}
