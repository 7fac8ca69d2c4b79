import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

/** Arm is active-high with a pull-down on A0 of the PICO profile: press() drives A0 high. */
function armBoard() {
  const test = testBoard();
  test.run('pinMode(A0, "input_pulldown"); var events = [];');
  return test;
}

describe("setWatch", () => {
  it("reports matching edges with state, time and lastTime in seconds", () => {
    const { run, board, clock } = armBoard();
    run('setWatch(function (e) { events.push([e.state, e.time, e.lastTime, String(e.pin)]); }, A0, { repeat: true, edge: "rising" })');
    clock.advance(100);
    // Edge times are the pin's, whatever the interpreter was doing: seconds since power-on.
    const firstS = clock.nowMs() / 1000;
    board.press("arm", true);
    clock.advance(50);
    board.press("arm", false);
    clock.advance(50);
    board.press("arm", true);
    clock.advance(1);
    expect(run("JSON.stringify(events)")).toBe(JSON.stringify([[true, firstS, undefined, "A0"], [true, firstS + 0.1, firstS + 0.05, "A0"]]));
  });

  it("runs once without repeat, and edge 'both' sees both directions", () => {
    const { run, board, clock } = armBoard();
    run("setWatch(function (e) { events.push('once ' + e.state); }, A0)");
    run("setWatch(function (e) { events.push('both ' + e.state); }, A0, { repeat: true })");
    board.press("arm", true);
    clock.advance(1);
    board.press("arm", false);
    clock.advance(1);
    expect(run("events.join()")).toBe("once true,both true,both false");
  });

  it("debounces: bounces shorter than debounce are ignored, the time is the last edge", () => {
    const { run, board, clock } = armBoard();
    run("setWatch(function (e) { events.push([e.state, e.time]); }, A0, { repeat: true, edge: 'both', debounce: 10 })");
    clock.advance(100);
    const firstMs = clock.nowMs();
    board.press("arm", true);
    clock.advance(2);
    board.press("arm", false);
    clock.advance(2);
    board.press("arm", true);
    clock.advance(9);
    expect(run("events.length")).toBe(0);
    clock.advance(1);
    expect(run("JSON.stringify(events)")).toBe(JSON.stringify([[true, (firstMs + 4) / 1000]]));
    board.press("arm", false);
    clock.advance(3);
    board.press("arm", true);
    clock.advance(20);
    expect(run("events.length")).toBe(1);
  });

  it("passes the data pin's level, and turns an unlocked pin into an input", () => {
    const { run, board, clock } = testBoard();
    run('var seen; pinMode(B1, "output"); digitalWrite(B1, 1); digitalWrite(B13, 1)');
    run("setWatch(function (e) { seen = e.data; }, A0, { edge: 'rising', data: B1 })");
    expect(run("getPinMode(A0)")).toBe("input");
    board.press("arm", true);
    clock.advance(1);
    expect(run("seen")).toBe(true);
  });

  it("refuses two pins with the same number on STM32, and clears watches", () => {
    const { run } = testBoard();
    const id = run("setWatch(function () {}, A1, { repeat: true })");
    expect(() => run("setWatch(function () {}, B1, { repeat: true })")).toThrow("cannot both be watched");
    run(`clearWatch(${id})`);
    run("setWatch(function () {}, B1, { repeat: true })");
    expect(() => run("clearWatch(99)")).toThrow("Invalid watch ID");
    run("clearWatch()");
    run("setWatch(function () {}, A1)");
  });
});
