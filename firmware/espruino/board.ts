/**
 * The board interface (firmware/board.ts) on Espruino's APIs, as plain functions over the
 * pins of the profile compiled into the bundle: on the board a class would hold a prototype
 * and a method per call (about 70 variable blocks), and the calls that only rename an
 * Espruino API (clock, RNG, Storage, watchdog, error flags, link writes) are made by main.ts
 * directly. Coil outputs are locked with pinMode so a digitalRead can never turn them into
 * inputs; relay drivers have pull-downs for the time before this runs.
 */
import type { Board } from "../board.ts";
import type { FirmwareProfile } from "../../hardware/profile-types.ts";

/** The pins read after boot; the rest of the profile is read by start() only. */
let coils: string[];
let feedbacks: string[];
let inputs: string[];
let inputsActiveHigh: number;

/** Takes the profile's pins; coils driven low and locked as outputs, feedback and input pins in their modes. */
export function setupPins(profile: FirmwareProfile): void {
  coils = profile.coils;
  feedbacks = profile.feedbacks;
  inputs = profile.inputs;
  inputsActiveHigh = profile.inputsActiveHigh;
  for (let r = 0; r < coils.length; r++) {
    digitalWrite(coils[r], 0);
    pinMode(coils[r], "output");
    // A broken feedback wire then reads 0 ("energised"), which a released command catches.
    pinMode(feedbacks[r], "input_pulldown");
  }
  for (let k = 0; k < inputs.length; k++) pinMode(inputs[k], profile.inputModes[k]);
}

export const setCoils: Board["setCoils"] = function (mask) {
  for (let r = 0; r < coils.length; r++) digitalWrite(coils[r], (mask >> r) & 1);
};

export const readFeedback: Board["readFeedback"] = function () {
  let bits = 0;
  for (let r = 0; r < feedbacks.length; r++) bits |= digitalRead(feedbacks[r]) << r;
  return bits;
};

export const readInputs: Board["readInputs"] = function () {
  let bits = 0;
  for (let k = 0; k < inputs.length; k++) if (digitalRead(inputs[k]) === ((inputsActiveHigh >> k) & 1)) bits |= 1 << k;
  return bits;
};

export const nowMs: Board["nowMs"] = function () {
  return getTime() * 1000;
};
