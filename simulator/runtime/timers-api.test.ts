import { describe, expect, it } from "vitest";
import { testBoard } from "./test-board.ts";

describe("timers", () => {
  it("runs setTimeout once and setInterval in phase, in milliseconds of board time", () => {
    const { run, clock } = testBoard();
    run("var log = []; setTimeout(function (a, b) { log.push('t' + a + b + '@' + getTime()); }, 15, 1, 2)");
    run("setInterval(function () { log.push('i@' + getTime()); }, 10)");
    clock.advance(35);
    expect(run("log.join()")).toBe("i@0.01,t12@0.015,i@0.02,i@0.03");
  });

  it("never fires sooner than 0.1 ms, so a zero-delay loop lets time move", () => {
    const { run, clock } = testBoard();
    run("var n = 0; function again() { n++; setTimeout(again, 0); } setTimeout(again, 0)");
    clock.advance(1);
    expect(run("n")).toBe(10);
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
    clock.advance(30);
    expect(run("n")).toBe(3);
    expect(sent("USB")).toContain("Uncaught Error: tick 3\r\n");
    expect(board.snapshot().uncaughtErrors).toBe(3);
  });

  it("changeInterval restarts the period from now", () => {
    const { run, clock } = testBoard();
    run("var times = []; var id = setInterval(function () { times.push(getTime()); }, 10)");
    clock.advance(12);
    run("changeInterval(id, 5)");
    clock.advance(11);
    expect(run("times.join()")).toBe("0.01,0.017,0.022");
  });

  it("runs promise callbacks right after the callback that resolved them", () => {
    const { run, clock } = testBoard();
    run("var log = []; setTimeout(function () { Promise.resolve(1).then(function (v) { log.push('then' + v); }); log.push('sync'); }, 1); setTimeout(function () { log.push('next'); }, 1)");
    clock.advance(2);
    expect(run("log.join()")).toBe("sync,then1,next");
  });
});
