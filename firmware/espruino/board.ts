/**
 * The board interface on Espruino's APIs. Pins come from the board profile compiled into the
 * bundle. Coil outputs are locked with pinMode so a digitalRead can never turn them into
 * inputs (ESPRUINO.md section 2); relay drivers have pull-downs for the time before this runs.
 */
import type { Board } from "../board.ts";
import type { FirmwareProfile, InputProfile } from "../../hardware/profile-types.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_MAINTENANCE, INPUT_TAMPER } from "../core/inputs.ts";

const storage = require("Storage");

/** Input roles in INPUT_* bit order. */
const INPUT_BITS = [INPUT_ESTOP, INPUT_TAMPER, INPUT_ARM, INPUT_MAINTENANCE];

function pullMode(input: InputProfile): string {
  return input.pull === "up" ? "input_pullup" : input.pull === "down" ? "input_pulldown" : "input";
}

export class EspruinoBoard implements Board {
  coils: string[] = [];
  feedbacks: string[] = [];
  inputs: InputProfile[] = [];
  devices: EspruinoDevice[] = [];

  constructor(profile: FirmwareProfile) {
    for (let p = 0; p < profile.paths.length; p++) {
      for (let r = 0; r < 2; r++) {
        const relay = profile.paths[p].relays[r];
        digitalWrite(relay.coil, 0);
        pinMode(relay.coil, "output");
        // A broken feedback wire then reads 0 ("energised"), which a released command catches.
        pinMode(relay.feedback, "input_pulldown");
        this.coils.push(relay.coil);
        this.feedbacks.push(relay.feedback);
      }
    }
    const i = profile.inputs;
    this.inputs = [i.estop, i.tamper, i.arm, i.maintenance];
    for (let k = 0; k < this.inputs.length; k++) pinMode(this.inputs[k].pin, pullMode(this.inputs[k]));
    this.devices = [global[profile.links.host.device], global[profile.links.ops.device]];
  }

  setCoils(mask: number): void {
    for (let r = 0; r < this.coils.length; r++) digitalWrite(this.coils[r], (mask >> r) & 1);
  }

  readFeedback(): number {
    let bits = 0;
    for (let r = 0; r < this.feedbacks.length; r++) bits |= digitalRead(this.feedbacks[r]) << r;
    return bits;
  }

  readInputs(): number {
    let bits = 0;
    for (let k = 0; k < this.inputs.length; k++) {
      const high = digitalRead(this.inputs[k].pin) === 1;
      if (high === (this.inputs[k].active === "high")) bits |= INPUT_BITS[k];
    }
    return bits;
  }

  send(link: number, text: string): void {
    this.devices[link].write(text);
  }

  nowMs(): number {
    return getTime() * 1000;
  }

  random32(): number {
    return E.hwRand();
  }

  readFile(name: string): string | undefined {
    return storage.read(name);
  }

  writeFile(name: string, data: string): boolean {
    return storage.write(name, data);
  }

  kickWatchdog(): void {
    E.kickWatchdog();
  }

  takeErrorFlags(): string[] {
    return E.getErrorFlags();
  }
}
