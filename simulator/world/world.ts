/**
 * The hardware around the MCU: per path two relays in series, each coil driven from its pin
 * and each mirror contact wired to its feedback pin (closed = pin pulled to 3V3), and the
 * e-stop, tamper, arm and maintenance switches. Reports every coil, contact, path and input
 * change as a WorldEvent with its exact board time.
 */
import type { BoardProfile, RelayPins } from "../../hardware/profile-types.ts";
import type { Clock } from "../clock.ts";
import type { Rng } from "../rng.ts";
import type { Level, PinBank } from "../mcu/pins.ts";
import { INPUT_NAMES, type InputName, type WorldEvent } from "./events.ts";
import { Relay } from "./relay.ts";
import type { RelayTiming } from "./relay-timing.ts";
import { switchDrive } from "./switches.ts";

export interface WorldOptions {
  profile: BoardProfile;
  pins: PinBank;
  clock: Clock;
  rng: Rng;
  timing: RelayTiming;
  emit: (event: WorldEvent) => void;
}

export interface RelayUnit {
  index: number;
  path: number;
  pins: RelayPins;
  relay: Relay;
  feedbackStuck: Level | undefined;
}

export class World {
  readonly relays: RelayUnit[] = [];
  private inputsActive = { estop: false, tamper: false, arm: false, maintenance: false };
  private conducting: boolean[];

  constructor(private readonly options: WorldOptions) {
    const { profile, pins } = options;
    profile.paths.forEach((path, pathIndex) => path.relays.forEach((relayPins) => this.addRelay(pathIndex, relayPins)));
    this.conducting = profile.paths.map(() => false);
    pins.onDriveChange((pin) => this.coilDriveChanged(pin));
    for (const unit of this.relays) this.updateFeedback(unit);
    for (const input of INPUT_NAMES) this.updateInput(input);
  }

  press(input: InputName, active: boolean): void {
    if (this.inputsActive[input] === active) return;
    this.inputsActive[input] = active;
    this.options.emit({ type: "input", atMs: this.options.clock.nowMs(), input, active });
    this.updateInput(input);
  }

  inputActive(input: InputName): boolean {
    return this.inputsActive[input];
  }

  pathConducting(path: number): boolean {
    return this.conducting[path];
  }

  setWelded(relay: number, welded: boolean): void {
    this.unit(relay).relay.setWelded(welded);
  }

  setCoilOpen(relay: number, open: boolean): void {
    this.unit(relay).relay.setCoilOpen(open);
  }

  setFeedbackStuck(relay: number, level: Level | undefined): void {
    const unit = this.unit(relay);
    unit.feedbackStuck = level;
    this.updateFeedback(unit);
  }

  private unit(relay: number): RelayUnit {
    const unit = this.relays[relay];
    if (unit === undefined) throw new Error(`no relay ${relay}: this board has ${this.relays.length} (path p, relay r is 2p + r)`);
    return unit;
  }

  private addRelay(path: number, pins: RelayPins): void {
    const index = this.relays.length;
    const { clock, rng, timing, emit } = this.options;
    const unit: RelayUnit = { index, path, pins, feedbackStuck: undefined, relay: undefined as unknown as Relay };
    unit.relay = new Relay({
      clock,
      rng: rng.derive(`relay${index}`),
      timing,
      onCoil: (energised) => emit({ type: "coil", atMs: clock.nowMs(), relay: index, energised }),
      onContact: (contact, closed) => {
        emit({ type: "contact", atMs: clock.nowMs(), relay: index, contact, closed });
        if (contact === "mirror") this.updateFeedback(unit);
        else this.updatePath(path);
      },
    });
    this.relays.push(unit);
  }

  private coilDriveChanged(pin: string): void {
    for (const unit of this.relays) {
      if (unit.pins.coil === pin) unit.relay.setDriver(this.options.pins.drivesHigh(pin));
    }
  }

  private updateFeedback(unit: RelayUnit): void {
    this.options.pins.setExternal(unit.pins.feedback, unit.feedbackStuck ?? (unit.relay.mirrorClosed ? 1 : undefined));
  }

  private updateInput(input: InputName): void {
    const profile = this.options.profile.inputs[input];
    this.options.pins.setExternal(profile.pin, switchDrive(profile, this.inputsActive[input]));
  }

  private updatePath(path: number): void {
    const conducting = this.relays.filter((unit) => unit.path === path).every((unit) => unit.relay.mainClosed);
    if (conducting === this.conducting[path]) return;
    this.conducting[path] = conducting;
    const name = this.options.profile.paths[path].name;
    this.options.emit({ type: "path", atMs: this.options.clock.nowMs(), path, name, conducting });
  }
}
