/**
 * The bench probe (hardware/probe.md): a second Espruino Pico that watches the controller's
 * paths and relay coils through optocouplers and drives its e-stop, tamper and supply loops
 * and the bench's relay fault switches.
 * It is bench equipment, not the controller: its REPL stays on USB, where the bench talks to it.
 *
 * The bench uploads this bundle, then calls P.start(). Commands arrive as REPL lines prefixed
 * with DLE (0x10) so nothing is echoed; every report is one line starting with "P ":
 *   P HELLO <version> <time>            after start()
 *   P E <path> <1 conducting|0 open> <time>   each edge of a sense pin, time from setWatch (us resolution)
 *   P C <relay> <1 driven|0 off> <time>  each edge of a coil tap, likewise
 *   P PONG <id> <time>                  answer to P.ping(id): the bench's clock correlation
 *   P OUT <name> <0|1> <time>           after P.out(name, level), time of the write
 *   P S <paths> <coils> <time>          answer to P.state(): bit p of paths set while path p
 *                                       conducts, bit r of coils while coil r is driven
 *   P ERR <text>                        a command it cannot do
 * Times are getTime() seconds. Pins come from hardware/probe-pins.ts, compiled in.
 */
import { PROBE } from "../probe-pins.ts";

declare function pinMode(pin: string, mode: string): void;
declare function digitalWrite(pin: string, value: number): void;
declare function digitalRead(pin: string): number;
declare function setWatch(fn: (e: { state: boolean; time: number }) => void, pin: string, options: { repeat: boolean; edge: string; debounce: number }): number;
declare function getTime(): number;
declare function print(text: string): void;
declare function echo(on: boolean): void;
declare const global: { [name: string]: unknown };

const C = {
  VERSION: 2,
  /** Outputs P.out() drives, and the level start() gives each (fault switches off). */
  OUTPUTS: { estop: PROBE.estopPin, tamper: PROBE.tamperPin, supply: PROBE.supplyPin } as { [name: string]: string },
  START: { estop: 1, tamper: 1, supply: 1 } as { [name: string]: number },
};
for (let i = 0; i < PROBE.faultSwitches.length; i++) {
  C.OUTPUTS[PROBE.faultSwitches[i].name] = PROBE.faultSwitches[i].pin;
  C.START[PROBE.faultSwitches[i].name] = 0;
}

/**
 * The callback for input `index` of a kind ("E" sense pin, "C" coil tap), built once per pin
 * at start (not per edge).
 */
function edgeReporter(kind: string, index: number): (e: { state: boolean; time: number }) => void {
  return function (e) {
    // The optocoupler pulls the pin low while the path conducts or the coil is driven.
    print("P " + kind + " " + index + " " + (e.state ? 0 : 1) + " " + e.time);
  };
}

/** Pull-up and a watch on both edges, without debounce, so contact bounce shows as it happens. */
function watchAll(kind: string, pins: readonly string[]): void {
  for (let i = 0; i < pins.length; i++) {
    pinMode(pins[i], "input_pullup");
    setWatch(edgeReporter(kind, i), pins[i], { repeat: true, edge: "both", debounce: 0 });
  }
}

/** Bit i set while input i reads low (conducting, driven). */
function lowBits(pins: readonly string[]): number {
  let bits = 0;
  for (let i = 0; i < pins.length; i++) if (digitalRead(pins[i]) === 0) bits |= 1 << i;
  return bits;
}

/** Loops closed, controller powered, fault switches off; sense pins and coil taps watched. */
function start(): void {
  echo(false);
  const names = Object.keys(C.OUTPUTS);
  for (let i = 0; i < names.length; i++) {
    digitalWrite(C.OUTPUTS[names[i]], C.START[names[i]]);
    pinMode(C.OUTPUTS[names[i]], "output");
  }
  watchAll("E", PROBE.pathSensePins);
  watchAll("C", PROBE.coilTapPins);
  print("P HELLO " + C.VERSION + " " + getTime());
}

function ping(id: number): void {
  print("P PONG " + id + " " + getTime());
}

/** Sets output `name` (estop, tamper, supply: 1 = loop closed / controller powered; a fault switch: 1 = fault on). */
function out(name: string, level: number): void {
  const pin = C.OUTPUTS[name];
  if (pin === undefined) return print("P ERR no output " + name);
  digitalWrite(pin, level ? 1 : 0);
  print("P OUT " + name + " " + (level ? 1 : 0) + " " + getTime());
}

function state(): void {
  print("P S " + lowBits(PROBE.pathSensePins) + " " + lowBits(PROBE.coilTapPins) + " " + getTime());
}

global.P = { start: start, ping: ping, out: out, state: state };
