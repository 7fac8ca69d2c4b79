/**
 * The board interface (firmware/board.ts) on Espruino's APIs, over the pins of the profile
 * compiled into the bundle. One object of plain top-level functions, and the interpreter's own
 * functions where one does the job as it is (Storage, the RNG, error flags, the watchdog's
 * kick): a class would add a prototype, and a wrapper that only renames an API costs variable
 * blocks for nothing. Coil outputs are locked with pinMode so a digitalRead can never turn
 * them into inputs; relay drivers have pull-downs for the time before this runs.
 */
import type { Board, FirmwareEvents } from "../board.ts";
import type { FirmwareProfile } from "../../hardware/profile-types.ts";
import { INPUT_MAINTENANCE } from "../core/inputs.ts";

/**
 * The pins read after boot, last first: Espruino reads and writes an array of pins as one
 * number whose last pin is bit 0 (docs/espruino.md, section 2), one native call where a loop
 * over the pins would cost its tokens in every control cycle.
 */
let coils: string[];
let feedbacks: string[];
let inputs: string[];
let inputsActiveHigh: number;
let led: string;
let consoleDevice: string;
let devices: EspruinoDevice[];
let events: FirmwareEvents;
let wakeTimer = 0;

/**
 * The board of `profile`: coils driven low and locked as outputs, feedback and input pins in
 * their modes, the links' UARTs set up. What only the boot reads of the profile (pin modes,
 * link settings) is not held.
 */
export function espruinoBoard(profile: FirmwareProfile): Board {
  coils = [];
  feedbacks = [];
  inputs = [];
  inputsActiveHigh = profile.inputsActiveHigh;
  led = profile.led;
  consoleDevice = profile.console;
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
  devices = [];
  for (let l = 0; l < profile.links.length; l++) {
    const link = profile.links[l];
    const device = global[link.device] as EspruinoDevice;
    if (device.setup !== undefined && link.tx !== undefined) device.setup(link.baud, { rx: link.rx, tx: link.tx });
    devices.push(device);
  }
  return {
    setCoils: setCoils,
    readFeedback: readFeedback,
    readInputs: readInputs,
    nowMs: nowMs,
    setLed: setLed,
    write: write,
    storage: require("Storage"),
    random: E.hwRand,
    errorFlags: E.getErrorFlags,
    run: run,
    wakeIn: wakeIn,
    kickWatchdog: E.kickWatchdog,
  };
}

function setCoils(mask: number): void {
  digitalWrite(coils, mask);
}

function readFeedback(): number {
  return digitalRead(feedbacks);
}

/** An input is active when its pin reads its active level. */
function readInputs(): number {
  return ~(digitalRead(inputs) ^ inputsActiveHigh) & ((1 << inputs.length) - 1);
}

function nowMs(): number {
  return getTime() * 1000;
}

function setLed(on: boolean): void {
  digitalWrite(led, on);
}

function write(link: number, text: string): void {
  devices[link].write(text);
}

function run(sink: FirmwareEvents, maintenance: boolean, cycleMs: number, watchdogMs: number): void {
  // Otherwise the console goes to a loopback nobody reads, never to the host or ops link.
  E.setConsole(maintenance ? consoleDevice : "LoopbackA", { force: true });
  events = sink;
  devices[0].on("data", onHostData);
  devices[1].on("data", onOpsData);
  setInterval(onCycle, cycleMs);
  // Running out of memory removes the interval it struck in: a cycle trips and persists now,
  // before the watchdog bites, so the errorflag cause survives the reset.
  E.on("errorFlag", onCycle);
  // E-stop, tamper and arm act at once, not at the next cycle. inputs[] is last first.
  for (let k = 0; k < inputs.length; k++) {
    if (1 << k !== INPUT_MAINTENANCE) setWatch(onCycle, inputs[inputs.length - 1 - k], { repeat: true, edge: "both", debounce: 5 });
  }
  E.enableWatchdog(watchdogMs / 1000, false);
}

function wakeIn(ms: number): void {
  if (wakeTimer) clearTimeout(wakeTimer);
  wakeTimer = setTimeout(onWake, ms);
}

function onCycle(): void {
  events.cycle();
}

function onWake(): void {
  wakeTimer = 0;
  events.wake();
}

function onHostData(data: string): void {
  events.receive(0, data);
}

function onOpsData(data: string): void {
  events.receive(1, data);
}
