import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("timers", () => {
  it("runs setTimeout once and setInterval in phase, in milliseconds of board time", () => {
    const { run, clock } = testBoard();
    // Set in one statement, so both count from one instant (time passes statement by statement).
    const setS = run("var log = []; [setTimeout(function (a, b) { log.push(['t' + a + b, getTime()]); }, 15, 1, 2), setInterval(function () { log.push(['i', getTime()]); }, 10), getTime()][2]") as number;
    clock.advance(36);
    const log = run("log") as [string, number][];
    expect(log.map((entry) => entry[0]).join()).toBe("i,t12,i,i");
    // Each callback reads the clock after a few tokens of its own: the interval's offset is the
    // same every time (in phase, no drift), the timeout's is its own.
    const offsetsMs = log.map(([, atS], index) => atS * 1000 - setS * 1000 - [10, 15, 20, 30][index]);
    expect(offsetsMs[2]).toBeCloseTo(offsetsMs[0], 9);
    expect(offsetsMs[3]).toBeCloseTo(offsetsMs[0], 9);
    for (const offsetMs of offsetsMs) expect(offsetMs).toBeGreaterThan(0);
    for (const offsetMs of offsetsMs) expect(offsetMs).toBeLessThan(1.5);
  });

  it("never fires sooner than 0.1 ms, so a zero-delay loop lets time move", () => {
    const { run, clock } = testBoard();
    run("var ends = [], starts = []; function again() { starts.push(getTime()); setTimeout(again, 0); ends.push(getTime()); } setTimeout(again, 0)");
    clock.advance(2);
    const [starts, ends] = run("[starts, ends]") as number[][];
    expect(starts.length).toBeGreaterThan(2);
    // Each run starts at least 0.1 ms after the previous one set its timer.
    for (let i = 1; i < starts.length; i++) expect((starts[i] - ends[i - 1]) * 1000).toBeGreaterThanOrEqual(0.1 - 1e-9);
  });

  it("clears by id, clears all with no argument, throws on unknown or undefined ids", () => {
    const { run, clock } = testBoard();
    run("var n = 0; var a = setInterval(function () { n++; }, 1); var b = setTimeout(function () { n += 100; }, 5)");
    run("clearTimeout(b)");
    clock.advance(3);
    run("clearInterval(a)");
    clock.advance(10);
    expect(run("n")).toBe(3);
    expect(() => run("clearTimeout(42)")).toThrow("Unknown Timeout");
    expect(() => run("clearInterval(undefined)")).toThrow("Unknown Interval");
    run("setInterval(function () { n++; }, 1); setTimeout(function () { n++; }, 1); clearTimeout()");
    clock.advance(10);
    expect(run("n")).toBe(3);
  });

  it("keeps an interval whose callback throws, printing Uncaught", () => {
    const { run, clock, sent, board } = testBoard();
    run("var n = 0; setInterval(function () { n++; throw new Error('tick ' + n); }, 10)");
    clock.advance(35);
    expect(run("n")).toBe(3);
    expect(sent("USB")).toContain("Uncaught Error: tick 3\r\n");
    expect(board.snapshot().uncaughtErrors).toBe(3);
  });

  it("changeInterval restarts the period from now", () => {
    const { run, clock } = testBoard();
    const setS = run("var times = [], id; [id = setInterval(function () { times.push(getTime()); }, 10), getTime()][1]") as number;
    clock.advance(12);
    const changedS = run("[changeInterval(id, 5), getTime()][1]") as number;
    clock.advance(11);
    const times = run("times") as number[];
    expect(times.length).toBe(3);
    // The same callback cost before each getTime(): the first fire was due at +10 ms, the next at the change +5, +10.
    const offsetMs = times[0] * 1000 - setS * 1000 - 10;
    expect(times[1] * 1000 - changedS * 1000 - 5).toBeCloseTo(offsetMs, 9);
    expect(times[2] * 1000 - changedS * 1000 - 10).toBeCloseTo(offsetMs, 9);
  });

  it("runs promise callbacks right after the callback that resolved them", () => {
    const { run, clock } = testBoard();
    run("var log = []; setTimeout(function () { Promise.resolve(1).then(function (v) { log.push('then' + v); }); log.push('sync'); }, 1); setTimeout(function () { log.push('next'); }, 1)");
    clock.advance(2);
    expect(run("log.join()")).toBe("sync,then1,next");
  });
});
