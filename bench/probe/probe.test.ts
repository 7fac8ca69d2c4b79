/**
 * The probe firmware on a simulated Pico (real time, its REPL on USB as on the bench): the
 * client uploads it, correlates clocks, sees path edges with their times, drives outputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBE } from "../../hardware/probe-pins.ts";
import { RealClock } from "../../simulator/clock.ts";
import { Flash } from "../../simulator/flash.ts";
import { consoleEndpoint } from "../../simulator/io/link-bridge.ts";
import { Repl } from "../../simulator/repl/repl.ts";
import { SimulatedBoard } from "../../simulator/simulated-board.ts";
import { probeBoardProfile } from "../../simulator/wiring/probe-wiring.ts";
import { buildProbe } from "./build-probe.ts";
import { estimateOffset, toBenchMs, withDrift } from "./clock-offset.ts";
import { ProbeClient, type ProbeCoilEdge, type ProbeEdge } from "./probe-client.ts";

function probeBoard(clock: RealClock): SimulatedBoard {
  return new SimulatedBoard({ profile: probeBoardProfile(), clock, flash: new Flash(), seed: 3 });
}

describe("probe firmware on a simulated Pico", () => {
  const clock = new RealClock();
  const board = probeBoard(clock);
  const edges: ProbeEdge[] = [];
  const coils: ProbeCoilEdge[] = [];
  let client: ProbeClient;

  beforeAll(async () => {
    board.attachRepl(new Repl(board));
    board.powerOn();
    const endpoint = consoleEndpoint(board);
    client = new ProbeClient({ write: (data) => endpoint.write(Buffer.from(data, "latin1")), onData: (listener) => endpoint.onData(listener) }, () => clock.nowMs());
    client.onEdge((edge) => edges.push(edge));
    client.onCoil((edge) => coils.push(edge));
    await client.upload(await buildProbe());
  });

  afterAll(() => {
    board.powerOff();
    clock.dispose();
  });

  it("starts with every loop closed and the controller powered", () => {
    const pins = board.snapshot().pins;
    for (const pin of [PROBE.estopPin, PROBE.tamperPin, PROBE.supplyPin]) expect(pins[pin].level).toBe(1);
    expect(client.conducting).toEqual([false, false, false, false]);
    expect(client.driven).toEqual(PROBE.coilTapPins.map(() => false));
  });

  it("correlates its clock with the bench's to within a millisecond", async () => {
    const offset = await client.correlate(10);
    // The probe's getTime() counts from its power-on, the bench's clock from its creation.
    const expected = -board.mcu.powerOnMs;
    expect(Math.abs(offset.offsetMs - expected)).toBeLessThanOrEqual(offset.uncertaintyMs + 0.5);
    expect(offset.uncertaintyMs).toBeLessThan(50);
  });

  it("reports a path edge with the time it happened, on the bench's clock", async () => {
    const atMs = clock.nowMs();
    board.mcu.pins.setExternal(PROBE.pathSensePins[1], 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const edge = edges.find((e) => e.path === 1 && e.conducting);
    expect(edge).toBeDefined();
    expect(Math.abs(edge!.atMs - atMs)).toBeLessThan(5);
    expect(client.conducting[1]).toBe(true);
    board.mcu.pins.setExternal(PROBE.pathSensePins[1], undefined);
  });

  it("reports a coil tap's edges with their times, and P.state() reads the taps too", async () => {
    const onMs = clock.nowMs();
    board.mcu.pins.setExternal(PROBE.coilTapPins[5], 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const offMs = clock.nowMs();
    board.mcu.pins.setExternal(PROBE.coilTapPins[5], undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(coils.map((edge) => [edge.relay, edge.driven])).toEqual([[5, true], [5, false]]);
    expect(Math.abs(coils[0].atMs - onMs)).toBeLessThan(5);
    expect(Math.abs(coils[1].atMs - offMs)).toBeLessThan(5);
    board.mcu.pins.setExternal(PROBE.coilTapPins[2], 0);
    await client.refreshState();
    expect(client.driven).toEqual(PROBE.coilTapPins.map((_, relay) => relay === 2));
    board.mcu.pins.setExternal(PROBE.coilTapPins[2], undefined);
  });

  it("opens the e-stop loop and cuts the supply on command", async () => {
    await client.set("estop", 0);
    await client.set("supply", 0);
    const pins = board.snapshot().pins;
    expect(pins[PROBE.estopPin].level).toBe(0);
    expect(pins[PROBE.supplyPin].level).toBe(0);
    expect(pins[PROBE.tamperPin].level).toBe(1);
  });
});

describe("clock offset estimate", () => {
  it("takes the shortest round trip and reports half of it as the uncertainty", () => {
    const offset = estimateOffset([
      { sentMs: 100, receivedMs: 140, probeS: 5.13 },
      { sentMs: 200, receivedMs: 204, probeS: 5.2025 },
    ]);
    expect(offset.offsetMs).toBeCloseTo(5202.5 - 202, 6);
    expect(offset.uncertaintyMs).toBe(2);
  });

  it("fits the drift through correlations spread over time and maps probe times back through it", () => {
    // A probe 500 ppm fast whose clock read 2000 ms when the bench's read 0.
    const probeMsAt = (benchMs: number) => 2000 + benchMs * (1 + 500e-6);
    const at = (benchMs: number) => estimateOffset([{ sentMs: benchMs - 0.5, receivedMs: benchMs + 0.5, probeS: probeMsAt(benchMs) / 1000 }]);
    expect(withDrift([at(0), at(1000)]).driftPpm).toBe(0);
    const fitted = withDrift([at(0), at(10_000), at(20_000)]);
    expect(fitted.driftPpm).toBeCloseTo(500, 3);
    expect(toBenchMs(probeMsAt(30_000) / 1000, fitted)).toBeCloseTo(30_000, 6);
    // Without the drift the same edge would be mapped 5 ms late, 10 s after the last correlation.
    expect(toBenchMs(probeMsAt(30_000) / 1000, { ...fitted, driftPpm: 0 }) - 30_000).toBeCloseTo(5, 3);
  });

  it("refuses to estimate from nothing, saying what to check", () => {
    expect(() => estimateOffset([])).toThrow(/probe running/);
  });
});
