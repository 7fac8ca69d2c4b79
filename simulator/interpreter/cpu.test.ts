import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cpuRatios, firmwareCpuFigures, type FirmwareCpuRatios } from "../testing/cpu-figures.ts";
import { VirtualClock } from "../clock.ts";
import { CpuMeter, instrument, stripInstrumentation } from "./cpu.ts";
import { testBoard } from "../testing/test-board.ts";

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

  it("is on by default", () => {
    const board = testBoard();
    const t0 = board.clock.nowMs();
    board.run("for (var i = 0; i < 1000; i++) {}");
    expect(board.clock.nowMs()).toBeGreaterThan(t0);
  });

  it("is off when asked: an infinitely fast board", () => {
    const board = testBoard({ cpuModel: false });
    const t0 = board.clock.nowMs();
    board.run("for (var i = 0; i < 1000; i++) {}");
    expect(board.clock.nowMs()).toBe(t0);
  });

  it("charges a string method for the characters it walks: a search to its match, a slice its result", () => {
    const cost = (code: string) => {
      const board = testBoard({ cpuModel: true });
      board.run("var s = 'a,' + 'b'.repeat(2000) + ',c';");
      const t0 = board.clock.nowMs();
      board.run(code);
      return board.clock.nowMs() - t0;
    };
    expect(cost("s.indexOf(',')")).toBeLessThan(cost("s.lastIndexOf('a')") / 5);
    expect(cost("s.includes('a')")).toBeLessThan(cost("s.includes('c')") / 5);
    expect(cost("s.slice(0, 2)")).toBeLessThan(cost("s.slice(2)") / 5);
    expect(cost("s.startsWith('a,')")).toBeLessThan(cost("s.toUpperCase()") / 5);
  });

  it("charges a native that V8 builds on another (RegExp test on exec) as one call", () => {
    const board = testBoard({ cpuModel: true });
    const counts = (board.board as unknown as { interpreter: { kernel: { cpu: CpuMeter } } }).interpreter.kernel.cpu.counts;
    board.run("var s = 'abcdefgh';");
    const calls = counts.nativeCalls;
    const chars = counts.regexChars;
    board.run("/^[a-z]*$/.test(s)");
    expect([counts.nativeCalls - calls, counts.regexChars - chars]).toEqual([1, 8]);
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
    const board = testBoard({ cpuModel: false });
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

/**
 * Measured on Espruino 2v29's Linux build (32-bit, 8,190 variables), the bundle sent to the
 * REPL (code in RAM, as a board's memory-mapped flash reads it) with the largest configuration:
 * ratios to the two SHA-256 calls of an HMAC, two passes of three readings each (best round of
 * 100, fastest call, best median call) on a shared machine (docs/simulator.md, "Calibration").
 */
const MEASURED: Record<string, Record<keyof FirmwareCpuRatios, number[]>> = {
  f121e26: { tag: [8.2, 10.4, 6.1, 6.9, 13.1, 9.5], heartbeat: [40, 49, 41, 45, 63, 54], controlCycle: [25, 57, 33, 31, 61, 42], start: [806, 885, 1209, 1009, 1377, 1441] },
  fa4c001: { tag: [12.5, 15.5, 10.4, 8.6, 13.4, 8.2], heartbeat: [83, 96, 92, 45, 68, 44], controlCycle: [46, 85, 59, 35, 68, 42], start: [1745, 1949, 2035, 1584, 1708, 1961] },
};
const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);

describe("the CPU-time model against the real interpreter's ratios (code in RAM)", () => {
  it.each(Object.keys(MEASURED))("the %s bundle: tag(), a heartbeat and a control cycle within the measured range; start() short by what Storage and setup cost there", (commit) => {
    const bundle = readFileSync(new URL(`../testing/fixtures/firmware-${commit}-PICO.js`, import.meta.url), "utf8");
    const model = cpuRatios(firmwareCpuFigures(bundle));
    const lines = (Object.keys(MEASURED[commit]) as (keyof FirmwareCpuRatios)[]).map((ratio) => {
      const measured = MEASURED[commit][ratio];
      const error = model[ratio] / geometricMean(measured) - 1;
      return `  ${ratio.padEnd(12)} model ${model[ratio].toFixed(1).padStart(6)}x  measured ${geometricMean(measured).toFixed(1).padStart(6)}x (${Math.min(...measured)}-${Math.max(...measured)})  error ${(error * 100).toFixed(0).padStart(4)} %`;
    });
    console.log(`CPU model, ${commit} bundle, ratios to the two SHA-256 calls of an HMAC:\n${lines.join("\n")}`);
    for (const ratio of ["tag", "heartbeat", "controlCycle"] as const) {
      expect(model[ratio]).toBeGreaterThanOrEqual(Math.min(...MEASURED[commit][ratio]));
      expect(model[ratio]).toBeLessThanOrEqual(Math.max(...MEASURED[commit][ratio]));
    }
    // The model charges nothing for Storage reads and writes, serial and watch set-up, which
    // start() makes and the Linux build does on files: it gives a third to a half of the measured figure.
    expect(model.start / geometricMean(MEASURED[commit].start)).toBeGreaterThan(1 / 3);
    expect(model.start).toBeLessThan(Math.min(...MEASURED[commit].start));
  });
});
