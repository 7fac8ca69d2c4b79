/**
 * The rules a board profile must obey beyond its shape. Each one guards against a wiring
 * mistake that would otherwise show up only on the bench, or worse, as a path that cannot be
 * opened: a pin driven by two roles, an input that floats when its wire breaks, two inputs the
 * MCU cannot watch together, a link that shares a UART with the other link or the console.
 */
import type { BoardProfile, InputProfile, LinkProfile, PathKind } from "./profile-types.ts";
import { MCU_RULES, PINLESS_DEVICES, type McuRules } from "./mcu-rules.ts";
import { profileError, readProfileShape } from "./profile-shape.ts";

/** Paths a profile may have: the relay mask is one bit per relay and STATUS one character per path. */
export const PATHS_MAX = 8;

/** Baud rates Espruino's UARTs and common USB-serial adapters both handle exactly. */
export const STANDARD_BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

const PROFILE_ID = /^[A-Z0-9_]{1,16}$/;
const PATH_NAME = /^[a-z0-9]{1,8}$/;

type Fail = (field: string, problem: string, fix: string) => never;

/** One pin a profile uses and the field that uses it. */
export interface PinUse {
  pin: string;
  field: string;
  /** Whether this use drives the pin (see McuRules.inputOnlyPins). */
  isOutput: boolean;
}

/** Every pin the profile uses (relays, inputs, LED, link pins), in profile order. */
export function pinUses(profile: BoardProfile): PinUse[] {
  const uses: PinUse[] = [];
  profile.paths.forEach((path, pathIndex) => {
    path.relays.forEach((relay, relayIndex) => {
      const field = `paths[${pathIndex}] (${path.name}).relays[${relayIndex}]`;
      uses.push({ pin: relay.coil, field: `${field}.coil`, isOutput: true });
      uses.push({ pin: relay.feedback, field: `${field}.feedback`, isOutput: false });
    });
  });
  for (const [name, input] of Object.entries(profile.inputs)) {
    uses.push({ pin: input.pin, field: `inputs.${name}.pin`, isOutput: false });
  }
  uses.push({ pin: profile.led, field: "led", isOutput: true });
  for (const [name, link] of Object.entries(profile.links)) {
    if (link.tx !== undefined) uses.push({ pin: link.tx, field: `links.${name}.tx`, isOutput: true });
    if (link.rx !== undefined) uses.push({ pin: link.rx, field: `links.${name}.rx`, isOutput: false });
  }
  return uses;
}

function checkPins(profile: BoardProfile, rules: McuRules, fail: Fail): void {
  const listed = new Set<string>();
  for (const pin of profile.pins) {
    if (listed.has(pin)) fail("pins", `lists ${pin} twice`, `remove the second ${pin}`);
    listed.add(pin);
  }
  const usedBy = new Map<string, string>();
  for (const use of pinUses(profile)) {
    if (!listed.has(use.pin)) {
      fail(use.field, `pin ${use.pin} is not in this board's "pins" list`, `use one of ${profile.pins.join(" ")} (check the spelling, e.g. "B3" not "PB3")`);
    }
    const other = usedBy.get(use.pin);
    if (other !== undefined) fail(use.field, `pin ${use.pin} is already used by ${other}`, "give every role its own pin");
    usedBy.set(use.pin, use.field);
    if (use.isOutput && rules.inputOnlyPins.includes(use.pin)) {
      fail(use.field, `pin ${use.pin} is input-only on ${profile.mcuFamily} and cannot drive an output`, "move this output to a full GPIO pin");
    }
  }
}

function checkPaths(profile: BoardProfile, fail: Fail): void {
  if (profile.paths.length > PATHS_MAX) fail("paths", `has ${profile.paths.length} paths, more than ${PATHS_MAX}`, `keep at most ${PATHS_MAX} paths`);
  const names = new Set<string>();
  const counts: Record<PathKind, number> = { network: 0, power: 0, decapitation: 0, immolation: 0 };
  profile.paths.forEach((path, index) => {
    const field = `paths[${index}].name`;
    if (!PATH_NAME.test(path.name)) fail(field, `"${path.name}" is not 1-8 characters of a-z 0-9`, 'use a short name like "net0"');
    if (names.has(path.name)) fail(field, `"${path.name}" is used by two paths`, "give every path its own name");
    names.add(path.name);
    counts[path.kind] += 1;
  });
  for (const kind of ["network", "power"] as const) {
    if (counts[kind] === 0) fail("paths", `has no ${kind} path`, `add a path with "kind": "${kind}"`);
  }
  for (const kind of ["decapitation", "immolation"] as const) {
    if (counts[kind] !== 1) fail("paths", `has ${counts[kind]} ${kind} paths, not exactly 1`, `keep exactly one path with "kind": "${kind}"`);
  }
}

/** The level a pin settles to when its wire is cut: the internal pull decides. */
function brokenWireIsActive(input: InputProfile): boolean | undefined {
  if (input.pull === "none") return undefined;
  return (input.pull === "up") === (input.active === "high");
}

function checkInputs(profile: BoardProfile, rules: McuRules, fail: Fail): void {
  const mustTrip = { estop: true, tamper: true, arm: false, maintenance: false };
  for (const [name, tripsWhenBroken] of Object.entries(mustTrip)) {
    const input = profile.inputs[name as keyof BoardProfile["inputs"]];
    const broken = brokenWireIsActive(input);
    const wanted = tripsWhenBroken ? "active (a normally-closed loop)" : "inactive";
    if (broken === undefined) fail(`inputs.${name}.pull`, "is none, so a broken wire floats", `choose the pull that makes a broken wire read ${wanted}`);
    if (broken !== tripsWhenBroken) {
      fail(`inputs.${name}`, `a broken wire reads ${broken ? "active" : "inactive"} with pull ${input.pull} and active ${input.active}`, `make a broken wire read ${wanted}: flip "pull" or "active"`);
    }
  }
  const watched = Object.entries(profile.inputs);
  for (let i = 0; i < watched.length; i += 1) {
    for (let j = i + 1; j < watched.length; j += 1) {
      const conflict = rules.watchConflict(watched[i][1].pin, watched[j][1].pin);
      if (conflict !== undefined) fail(`inputs.${watched[j][0]}.pin`, `${conflict} (inputs.${watched[i][0]} is on ${watched[i][1].pin})`, "move one input to a pin with another number");
    }
  }
}

function checkLink(name: string, link: LinkProfile, rules: McuRules, fail: Fail): void {
  const field = `links.${name}`;
  if (!rules.linkDevices.includes(link.device)) fail(`${field}.device`, `"${link.device}" cannot carry a link on this MCU`, `use one of ${rules.linkDevices.join(", ")}`);
  if (!STANDARD_BAUDS.includes(link.baud)) fail(`${field}.baud`, `${link.baud} is not a standard rate`, `use one of ${STANDARD_BAUDS.join(", ")} (normally 115200)`);
  const pinless = PINLESS_DEVICES.includes(link.device);
  if (!pinless && (link.tx === undefined || link.rx === undefined)) fail(field, `${link.device} needs both "tx" and "rx" pins`, 'add "tx" and "rx"');
  if (pinless && (link.tx !== undefined || link.rx !== undefined)) fail(field, `${link.device} has no pins`, 'remove "tx" and "rx"');
}

function checkLinks(profile: BoardProfile, rules: McuRules, fail: Fail): void {
  const { host, ops } = profile.links;
  checkLink("host", host, rules, fail);
  checkLink("ops", ops, rules, fail);
  if (PINLESS_DEVICES.includes(host.device)) {
    fail("links.host.device", `${host.device} cannot go through the isolator the host link needs`, "put the host link on a UART (SerialN)");
  }
  if (host.device === ops.device) fail("links.ops.device", `${ops.device} is also the host link`, "put the host and ops links on different devices");
  if (!rules.consoleDevices.includes(profile.console)) fail("console", `"${profile.console}" cannot be the console on this MCU`, `use one of ${rules.consoleDevices.join(", ")}`);
  if (profile.console === host.device) fail("console", `${profile.console} is also the host link, which must never reach the REPL`, "move the console or the host link to another device");
}

/** Checks `value` against the shape and every rule; returns it typed or throws a clear Error. */
export function validateProfile(value: unknown, source: string): BoardProfile {
  const profile = readProfileShape(value, source);
  const fail: Fail = (field, problem, fix) => {
    throw profileError(source, field, problem, fix);
  };
  if (!PROFILE_ID.test(profile.id)) fail("id", `"${profile.id}" is not 1-16 characters of A-Z 0-9 _`, 'use the file name, e.g. "PICO"');
  if (!profile.sha256) fail("sha256", "is false, but the firmware's HMAC needs require(\"crypto\").SHA256", "pick a board whose Espruino build has SHA256");
  const rules = MCU_RULES[profile.mcuFamily];
  checkPins(profile, rules, fail);
  checkPaths(profile, fail);
  checkInputs(profile, rules, fail);
  checkLinks(profile, rules, fail);
  return profile;
}
