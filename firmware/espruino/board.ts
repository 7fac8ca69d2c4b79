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

/**
 * The pins read after boot, last first: Espruino reads and writes an array of pins as one
 * number whose last pin is bit 0 (docs/espruino.md, section 2), one native call where a loop
 * over the pins would cost its tokens in every control cycle. The rest of the profile is read
 * by start() only.
 */
let coils: string[];
let feedbacks: string[];
let inputs: string[];
let inputsActiveHigh: number;

/** Takes the profile's pins; coils driven low and locked as outputs, feedback and input pins in their modes. */
export function setupPins(profile: FirmwareProfile): void {
  coils = [];
  feedbacks = [];
  inputs = [];
  inputsActiveHigh = profile.inputsActiveHigh;
  for (let r = 0; r < profile.coils.length; r++) {
    digitalWrite(profile.coils[r], 0);
    pinMode(profile.coils[r], "output");
    // A broken feedback wire then reads 0 ("energised"), which a released command catches.
    pinMode(profile.feedbacks[r], "input_pulldown");
    coils.unshift(profile.coils[r]);
    feedbacks.unshift(profile.feedbacks[r]);
  }
  for (let k = 0; k < profile.inputs.length; k++) {
    pinMode(profile.inputs[k], profile.inputModes[k]);
    inputs.unshift(profile.inputs[k]);
  }
}

export const setCoils: Board["setCoils"] = function (mask) {
  digitalWrite(coils, mask);
};

export const readFeedback: Board["readFeedback"] = function () {
  return digitalRead(feedbacks);
};

/** An input is active when its pin reads its active level. */
export const readInputs: Board["readInputs"] = function () {
  return ~(digitalRead(inputs) ^ inputsActiveHigh) & ((1 << inputs.length) - 1);
};

export const nowMs: Board["nowMs"] = function () {
  return getTime() * 1000;
};
