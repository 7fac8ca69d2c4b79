import { describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { testBoard } from "../testing/test-board.ts";

describe("running callbacks the Espruino way", () => {
  it("queues emit(): listeners run after the emitting code, as soon as it ends", () => {
    const { run, clock } = testBoard();
    run("var log = []; var o = {}; o.on('ping', function (x) { log.push('ping' + x + '@' + getTime()); }); setTimeout(function () { o.emit('ping', 1); log.push('after emit@' + getTime()); }, 5)");
    clock.advance(6);
    const [after, ping] = (run("log") as string[]).map((entry) => entry.split("@"));
    expect([after[0], ping[0]]).toEqual(["after emit", "ping1"]);
    // The listener ran right after the emitting callback, before any later timer could.
    expect(Number(ping[1])).toBeGreaterThan(Number(after[1]));
    expect(Number(ping[1]) - Number(after[1])).toBeLessThan(0.001);
  });

  it("hands uncaught exceptions to process.on('uncaughtException') when there is one", () => {
    const { run, clock, sent } = testBoard();
    run("var caught; process.on('uncaughtException', function (e) { caught = e.message; }); setTimeout(function () { throw new Error('handled'); }, 1)");
    clock.advance(2);
    expect(run("caught")).toBe("handled");
    expect(sent("USB")).not.toContain("Uncaught");
  });

  it("stops a callback that was cut by power loss from touching the hardware, even if it catches", () => {
    const { run, clock, board } = testBoard();
    run("setTimeout(function () { try { E.reboot(); } catch (e) {} pinMode(B15, 'output'); digitalWrite(B15, 1); }, 1)");
    clock.advance(2);
    expect(board.snapshot().pins.B15.mode).toBe("analog");
    expect(board.snapshot().relays[0].coilEnergised).toBe(false);
  });

  it("on an infinitely fast board, takes an endless loop past the callback time limit for a hang that the watchdog resets", () => {
    const clock = new VirtualClock();
    // Without the CPU-time model the loop takes no board time: only the host's time limit ends it.
    const board = new SimulatedBoard({ profile: loadProfile("PICO"), clock, flash: new Flash(), seed: 1, callbackTimeoutMs: 50, cpuModel: false });
    board.powerOn();
    board.evaluate("E.enableWatchdog(1, false); setTimeout(function () { while (true) {} }, 10)");
    clock.advance(20);
    expect(board.snapshot().hung).toBe(true);
    clock.advance(1000);
    expect(board.snapshot().resets.at(-1)?.cause).toBe("watchdog");
    expect(board.running).toBe(true);
  });

  it("under the CPU-time model, an endless loop runs in board time until the watchdog bites in the middle of it", () => {
    const clock = new VirtualClock();
    const board = new SimulatedBoard({ profile: loadProfile("PICO"), clock, flash: new Flash(), seed: 1, callbackTimeoutMs: 60_000 });
    board.powerOn();
    board.evaluate("E.enableWatchdog(1, false); setTimeout(function () { while (true) {} }, 10)");
    clock.advance(20);
    clock.advance(10);
    const reset = board.snapshot().resets.at(-1);
    expect(reset?.cause).toBe("watchdog");
    expect(reset!.atMs).toBeGreaterThanOrEqual(1000);
    expect(board.snapshot().hung).toBe(false);
    expect(board.running).toBe(true);
  });

  it("interrupts an endless REPL statement as Ctrl-C would", () => {
    const board = new SimulatedBoard({ profile: loadProfile("PICO"), clock: new VirtualClock(), flash: new Flash(), seed: 1, evalTimeoutMs: 100 });
    board.powerOn();
    const result = board.evaluate("while (true) {}");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.text).toBe("Execution Interrupted");
    expect(board.running).toBe(true);
  });
});
