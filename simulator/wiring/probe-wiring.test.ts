/**
 * The probe wired to the controller (hardware/probe.md) on virtual time: the probe's outputs
 * close the controller's loops and feed its supply, a dead probe reads as e-stop pressed and
 * no supply, and the controller's paths pull the probe's sense pins low; the probe's clock
 * drifts by the ppm asked.
 */
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { PROBE } from "../../hardware/probe-pins.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { DriftingClock } from "./drifting-clock.ts";
import { K9_SWITCH_MS, probeBoardProfile, wireProbe } from "./probe-wiring.ts";

function pair() {
  const clock = new VirtualClock();
  const dut = new SimulatedBoard({ profile: loadProfile("PICO"), clock, flash: new Flash(), seed: 1 });
  const probeClock = new DriftingClock(clock, 1000);
  const probe = new SimulatedBoard({ profile: probeBoardProfile(), clock: probeClock, flash: new Flash(), seed: 2 });
  wireProbe(dut, probe);
  return { clock, probeClock, dut, probe };
}

describe("probe wiring", () => {
  it("a probe without its program leaves the controller unpowered with both loops open", () => {
    const { clock, dut, probe } = pair();
    probe.powerOn();
    clock.advance(100);
    expect(dut.powered).toBe(false);
    expect(dut.world.inputActive("estop")).toBe(true);
    expect(dut.world.inputActive("tamper")).toBe(true);
  });

  it("driving B13, B14, B15 high closes the loops and powers the controller after K9 moves", () => {
    const { clock, dut, probe } = pair();
    probe.powerOn();
    for (const pin of [PROBE.estopPin, PROBE.tamperPin, PROBE.supplyPin]) {
      probe.mcu.pins.setLatch(pin, 1);
      probe.mcu.pins.setMode(pin, "output", true);
    }
    expect(dut.world.inputActive("estop")).toBe(false);
    expect(dut.world.inputActive("tamper")).toBe(false);
    clock.advance(K9_SWITCH_MS - 1);
    expect(dut.powered).toBe(false);
    clock.advance(1);
    expect(dut.powered).toBe(true);
    probe.powerOff();
    expect(dut.world.inputActive("estop")).toBe(true);
    clock.advance(K9_SWITCH_MS);
    expect(dut.powered).toBe(false);
  });

  it("a conducting path pulls its sense pin low against the probe's pull-up", () => {
    const { dut, probe } = pair();
    probe.powerOn();
    probe.mcu.pins.setMode(PROBE.pathSensePins[1], "input_pullup", true);
    expect(probe.mcu.pins.level(PROBE.pathSensePins[1])).toBe(1);
    // Close both relays of path 1 (power0) as the controller's coils would.
    dut.powerOn();
    for (const unit of dut.world.relays.filter((u) => u.path === 1)) unit.relay.setDriver(true);
    dut.clock.setTimer(dut.clock.nowMs() + 50, () => {});
    (dut.clock as VirtualClock).advance(50);
    expect(dut.world.pathConducting(1)).toBe(true);
    expect(probe.mcu.pins.level(PROBE.pathSensePins[1])).toBe(0);
  });

  it("a coil the controller drives pulls its tap pin low, whether or not the coil draws current", () => {
    const { clock, dut, probe } = pair();
    probe.powerOn();
    dut.powerOn();
    const relay = 3;
    const tap = PROBE.coilTapPins[relay];
    for (const pin of PROBE.coilTapPins) probe.mcu.pins.setMode(pin, "input_pullup", true);
    const coil = dut.world.relays[relay].pins.coil;
    dut.mcu.pins.setLatch(coil, 1);
    dut.mcu.pins.setMode(coil, "output", true);
    expect(PROBE.coilTapPins.map((pin) => probe.mcu.pins.level(pin))).toEqual(PROBE.coilTapPins.map((pin) => (pin === tap ? 0 : 1)));
    // The tap is across the coil: an open winding still reads driven, and its contact does not follow.
    dut.inject({ kind: "coil-open", relay });
    clock.advance(50);
    expect(probe.mcu.pins.level(tap)).toBe(0);
    expect(dut.world.relays[relay].relay.mainClosed).toBe(false);
    dut.mcu.pins.setLatch(coil, 0);
    expect(probe.mcu.pins.level(tap)).toBe(1);
  });

  it("the probe's clock runs the asked ppm fast, and its timers fire at its own times", () => {
    const { clock, probeClock } = pair();
    let firedAt = 0;
    probeClock.setTimer(10_010, () => (firedAt = probeClock.nowMs()));
    clock.advance(10_000);
    expect(probeClock.nowMs()).toBeCloseTo(10_010, 6);
    expect(firedAt).toBe(0);
    clock.advance(0.001);
    expect(firedAt).toBeGreaterThanOrEqual(10_010);
    expect(firedAt).toBeLessThan(10_010 + 1e-3);
  });
});
