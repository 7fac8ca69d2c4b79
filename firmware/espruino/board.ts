/**
 * The board interface (firmware/board.ts) on Espruino's APIs, as plain functions over the
 * profile compiled into the bundle: on the board a class would hold a prototype and a method
 * per call (about 70 variable blocks), and the calls that only rename an Espruino API
 * (clock, RNG, Storage, watchdog, error flags, link writes) are made by main.ts directly.
 * Coil outputs are locked with pinMode so a digitalRead can never turn them into inputs;
 * relay drivers have pull-downs for the time before this runs.
 */
import type { Board } from "../board.ts";

export const profile = __PROFILE__;

/** Coils driven low and locked as outputs, feedback and input pins in their modes. */
export function setupPins(): void {
  for (let r = 0; r < profile.coils.length; r++) {
    digitalWrite(profile.coils[r], 0);
    pinMode(profile.coils[r], "output");
    // A broken feedback wire then reads 0 ("energised"), which a released command catches.
    pinMode(profile.feedbacks[r], "input_pulldown");
  }
  for (let k = 0; k < profile.inputs.length; k++) pinMode(profile.inputs[k][0], profile.inputs[k][1]);
}

export const setCoils: Board["setCoils"] = function (mask) {
  for (let r = 0; r < profile.coils.length; r++) digitalWrite(profile.coils[r], (mask >> r) & 1);
};

export const readFeedback: Board["readFeedback"] = function () {
  let bits = 0;
  for (let r = 0; r < profile.feedbacks.length; r++) bits |= digitalRead(profile.feedbacks[r]) << r;
  return bits;
};

export const readInputs: Board["readInputs"] = function () {
  let bits = 0;
  for (let k = 0; k < profile.inputs.length; k++) if (digitalRead(profile.inputs[k][0]) === profile.inputs[k][2]) bits |= 1 << k;
  return bits;
};

export const nowMs: Board["nowMs"] = function () {
  return getTime() * 1000;
};
