/**
 * The bench probe wired to the board under test as hardware/probe.md wires them, between two
 * simulated boards:
 * - the probe's estop and tamper outputs (B13, B14) light the optocouplers in series with the
 *   controller's e-stop and tamper loops: high keeps the loop closed, low or undriven (probe
 *   off, probe reset) opens it, which the controller sees as a pressed button;
 * - its supply output (B15) drives bench relay K9 in the controller's 5 V feed;
 * - each controller path, while it conducts, lights that path's sense optocoupler, which pulls
 *   the probe's sense pin (A0, A1, A5, A6) low against its pull-up;
 * - each relay coil, while the controller drives it, lights its tap optocoupler (wired across
 *   the coil, so it reads the drive: an open winding still reads driven), which pulls that
 *   relay's coil-tap pin low; the tap draws nothing the controller's model would notice;
 * - each fault switch output (B5-B8), while high, makes its relay fault (a weld, an open coil,
 *   a feedback stuck at released), which is what its photorelays do to the real relay: here
 *   the simulator's fault of the same kind, on the same relay.
 * The optocouplers' tens of microseconds are left out; K9 takes K9_SWITCH_MS to move.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { PROBE } from "../../hardware/probe-pins.ts";
import type { SimulatedBoard } from "../simulated-board.ts";

/** Operate and release time of K9, a plain 24 V bench relay. */
export const K9_SWITCH_MS = 10;

/**
 * The probe's board: a Pico with nothing wired but the probe's own pins. Its profile has no
 * paths, and the controller inputs of a Pico profile are moved to pins the probe leaves alone.
 */
export function probeBoardProfile(): BoardProfile {
  const pico = loadProfile(PROBE.board);
  const idle = { active: "high" as const, pull: "down" as const };
  const links = Object.values(pico.links).flatMap((link) => [link.tx, link.rx]);
  const free = pico.pins.filter((pin) => !probePins().includes(pin) && !links.includes(pin));
  const [estop, tamper, arm, maintenance] = free;
  return { ...pico, paths: [], inputs: { estop: { ...idle, pin: estop }, tamper: { ...idle, pin: tamper }, arm: { ...idle, pin: arm }, maintenance: { ...idle, pin: maintenance } } };
}

/** Every pin the probe's program uses. */
function probePins(): string[] {
  return [...PROBE.pathSensePins, ...PROBE.coilTapPins, PROBE.estopPin, PROBE.tamperPin, PROBE.supplyPin, ...PROBE.faultSwitches.map((s) => s.pin)];
}

/** Connects `probe` to `dut`; both must run on clocks of the same base (one event queue). */
export function wireProbe(dut: SimulatedBoard, probe: SimulatedBoard): void {
  if (probe.profile.paths.length !== 0) throw new Error("the probe board must be a bare probe (probeBoardProfile()), not a controller");
  if (dut.profile.paths.length > PROBE.pathSensePins.length) throw new Error(`the probe senses ${PROBE.pathSensePins.length} paths; ${dut.profile.id} has ${dut.profile.paths.length}`);
  if (dut.world.relays.length > PROBE.coilTapPins.length) throw new Error(`the probe taps ${PROBE.coilTapPins.length} coils; ${dut.profile.id} has ${dut.world.relays.length} relays`);
  const pins = probe.mcu.pins;
  let supplyTimer = 0;
  const loops = (): void => {
    dut.press("estop", !pins.drivesHigh(PROBE.estopPin));
    dut.press("tamper", !pins.drivesHigh(PROBE.tamperPin));
  };
  const supply = (): void => {
    const on = pins.drivesHigh(PROBE.supplyPin);
    dut.clock.clearTimer(supplyTimer);
    if (on === dut.powered) return;
    supplyTimer = dut.clock.setTimer(dut.clock.nowMs() + K9_SWITCH_MS, () => (on ? dut.powerOn() : dut.powerOff()));
  };
  const faulted = new Map<string, boolean>(PROBE.faultSwitches.map((s) => [s.pin, false]));
  const faultSwitch = (pin: string): void => {
    const on = pins.drivesHigh(pin);
    const fault = PROBE.faultSwitches.find((s) => s.pin === pin)!.fault;
    if (faulted.get(pin) === on) return;
    faulted.set(pin, on);
    dut.inject({ ...fault, active: on });
  };
  pins.onDriveChange((pin) => {
    if (pin === PROBE.estopPin || pin === PROBE.tamperPin) loops();
    else if (pin === PROBE.supplyPin) supply();
    else if (faulted.has(pin)) faultSwitch(pin);
  });
  const sense = (path: number): void => pins.setExternal(PROBE.pathSensePins[path], dut.world.pathConducting(path) ? 0 : undefined);
  dut.onWorldEvent((event) => {
    if (event.type === "path") sense(event.path);
  });
  const tap = (relay: number): void => pins.setExternal(PROBE.coilTapPins[relay], dut.mcu.pins.drivesHigh(dut.world.relays[relay].pins.coil) ? 0 : undefined);
  dut.mcu.pins.onDriveChange((pin) => {
    for (const unit of dut.world.relays) if (unit.pins.coil === pin) tap(unit.index);
  });
  loops();
  supply();
  dut.profile.paths.forEach((_, path) => sense(path));
  dut.world.relays.forEach((unit) => tap(unit.index));
}
