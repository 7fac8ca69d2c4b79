import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firmwareCpuFigures } from "../testing/cpu-figures.ts";
import { VirtualClock } from "../clock.ts";
import { CpuMeter, instrument, stripInstrumentation } from "./cpu.ts";
import { testBoard } from "./test-board.ts";

const SAMPLES = [
  "function f(a){ if (a) return 1; else if (a>2) { a++; } for (var i=0;i<3;i++) a+=i; while(a) a--; do a++; while (a < 2); return [1,2].map(x => x+1); }",
  "var o = {m(){return 1;}, g: () => ({a:1})}; class K { constructor(){ this.x=1; } get y(){ return 2; } }",
  "switch (x) { case 1: y(); break; default: z(); } try { a(); } catch (e) { b(); } finally { c(); }",
];

describe("instrumenting code for the CPU-time model", () => {
  it("keeps the code valid and gives back the source as written", () => {
    for (const sample of SAMPLES) {
      const instrumented = instrument(sample);
      expect(() => new Function(instrumented)).not.toThrow();
      expect(instrumented).not.toBe(sample);
      expect(stripInstrumentation(instrumented)).toBe(sample);
    }
    const bundle = readFileSync(new URL("../testing/fixtures/firmware-fa4c001-PICO.js", import.meta.url), "utf8");
    expect(stripInstrumentation(instrument(bundle))).toBe(bundle);
  });

  it("charges a loop's tokens once per iteration, so time grows with the work", () => {
    const board = testBoard({ cpuModel: true });
    const t0 = board.clock.nowMs();
    board.run("for (var i = 0; i < 10; i++) {}");
    const ten = board.clock.nowMs() - t0;
    const t1 = board.clock.nowMs();
    board.run("for (var i = 0; i < 1000; i++) {}");
    expect(board.clock.nowMs() - t1).toBeGreaterThan(50 * ten);
  });

  it("is deterministic: the same code costs the same cycles", () => {
    const a = testBoard({ cpuModel: true });
    const b = testBoard({ cpuModel: true });
    a.run("var s = ''; for (var i = 0; i < 100; i++) s += i; s.split('1').length");
    b.run("var s = ''; for (var i = 0; i < 100; i++) s += i; s.split('1').length");
    expect(a.clock.nowMs()).toBe(b.clock.nowMs());
  });

  it("is off unless asked for: an infinitely fast board", () => {
    const board = testBoard();
    const t0 = board.clock.nowMs();
    board.run("for (var i = 0; i < 1000; i++) {}");
    expect(board.clock.nowMs()).toBe(t0);
  });

  it("scales time with the board's clock", () => {
    const clock = new VirtualClock();
    new CpuMeter(84, (ms) => clock.charge(ms)).tokens(70);
    expect(clock.nowMs()).toBeCloseTo((70 * 1200) / 84_000, 9);
  });
});

describe("while a callback runs, the board is busy", () => {
  it("a timer due meanwhile runs late, and getTime() inside the callback moves with the work", () => {
    const board = testBoard({ cpuModel: true });
    board.run("var fired = []; setTimeout(function () { fired.push(getTime()); }, 1);");
    board.run("setTimeout(function () { var t0 = getTime(); for (var i = 0; i < 2000; i++) {} fired.push(getTime() - t0); }, 0.5);");
    board.clock.advance(1000);
    const [busyS, lateAtS] = board.run("fired") as number[];
    expect(busyS * 1000).toBeGreaterThan(10);
    // The 1 ms timer ran only after the 0.5 ms one had finished its loop.
    expect(lateAtS * 1000).toBeGreaterThan(busyS * 1000);
  });
});

describe("while a callback runs, bytes and the watchdog do not wait", () => {
  it("bytes keep arriving into the receive buffer and overflow it (FIFO_FULL, as Espruino's input queue)", () => {
    const board = testBoard({ cpuModel: true });
    const device = board.board.profile.links.host.device;
    board.run(`${device}.setup(115200); ${device}.on("data", function (d) { for (var i = 0; i < 3000; i++) {} });`);
    board.board.serialInput(device, "y".repeat(2000));
    board.clock.advance(2000);
    expect(board.run("E.getErrorFlags()")).toContain("FIFO_FULL");
  });

  it("the same traffic on an infinitely fast board loses nothing", () => {
    const board = testBoard();
    const device = board.board.profile.links.host.device;
    board.run(`${device}.setup(115200); ${device}.on("data", function (d) { for (var i = 0; i < 3000; i++) {} });`);
    board.board.serialInput(device, "y".repeat(2000));
    board.clock.advance(2000);
    expect(board.run("E.getErrorFlags()")).toEqual([]);
  });

  it("the watchdog keeps counting: a callback longer than its timeout resets the board", () => {
    const board = testBoard({ cpuModel: true });
    board.run("E.enableWatchdog(0.25, false); setInterval(function () { E.kickWatchdog(); }, 50); setTimeout(function () { for (var i = 0; i < 20000; i++) {} }, 100);");
    board.clock.advance(2000);
    expect(board.board.snapshot().resets.map((reset) => reset.cause)).toContain("watchdog");
  });
});

describe("the CPU-time model against the real interpreter's ratios (fa4c001 bundle)", () => {
  it("gives tag() 9-11x the two SHA-256 calls, a heartbeat 61-81x, a control cycle ~0.6 heartbeat and start() ~9 heartbeats", async () => {
    const bundle = readFileSync(new URL("../testing/fixtures/firmware-fa4c001-PICO.js", import.meta.url), "utf8");
    const f = await firmwareCpuFigures(bundle);
    const ratios = {
      tag: f.tagCycles / f.twoHashCycles,
      heartbeat: f.heartbeatCycles / f.twoHashCycles,
      controlCycle: f.controlCycleCycles / f.heartbeatCycles,
      start: f.startCycles / f.heartbeatCycles,
    };
    console.log(`CPU model on the fa4c001 bundle: tag ${ratios.tag.toFixed(1)}x the two SHA-256 calls (real 9-11), heartbeat ${ratios.heartbeat.toFixed(1)}x (real 61-81), control cycle ${ratios.controlCycle.toFixed(2)} heartbeat (real ~0.6), start() ${ratios.start.toFixed(1)} heartbeats (real ~9); on a Pico (84 MHz): heartbeat ${(f.heartbeatCycles / 84_000).toFixed(1)} ms, control cycle ${(f.controlCycleCycles / 84_000).toFixed(1)} ms, start() ${(f.startCycles / 84_000).toFixed(0)} ms`);
    expect(ratios.tag).toBeGreaterThanOrEqual(9);
    expect(ratios.tag).toBeLessThanOrEqual(11);
    expect(ratios.heartbeat).toBeGreaterThanOrEqual(61);
    expect(ratios.heartbeat).toBeLessThanOrEqual(81);
    expect(Math.abs(ratios.controlCycle - 0.6) / 0.6).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ratios.start - 9) / 9).toBeLessThanOrEqual(0.1);
  });
});
