/**
 * The board interface on Espruino's APIs. Pins come from the board profile compiled into the
 * bundle. Coil outputs are locked with pinMode so a digitalRead can never turn them into
 * inputs (ESPRUINO.md section 2); relay drivers have pull-downs for the time before this runs.
 */
import type { Board } from "../board.ts";
import type { FirmwareProfile } from "../../hardware/profile-types.ts";

const storage = require("Storage");

export class EspruinoBoard implements Board {
  profile: FirmwareProfile;
  devices: EspruinoDevice[] = [];

  constructor(profile: FirmwareProfile) {
    this.profile = profile;
    for (let r = 0; r < profile.coils.length; r++) {
      digitalWrite(profile.coils[r], 0);
      pinMode(profile.coils[r], "output");
      // A broken feedback wire then reads 0 ("energised"), which a released command catches.
      pinMode(profile.feedbacks[r], "input_pulldown");
    }
    for (let k = 0; k < profile.inputs.length; k++) pinMode(profile.inputs[k][0], profile.inputs[k][1]);
    for (let l = 0; l < profile.links.length; l++) this.devices.push(global[profile.links[l].device] as EspruinoDevice);
  }

  setCoils(mask: number): void {
    for (let r = 0; r < this.profile.coils.length; r++) digitalWrite(this.profile.coils[r], (mask >> r) & 1);
  }

  readFeedback(): number {
    let bits = 0;
    for (let r = 0; r < this.profile.feedbacks.length; r++) bits |= digitalRead(this.profile.feedbacks[r]) << r;
    return bits;
  }

  readInputs(): number {
    let bits = 0;
    for (let k = 0; k < this.profile.inputs.length; k++) if (digitalRead(this.profile.inputs[k][0]) === this.profile.inputs[k][2]) bits |= 1 << k;
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
