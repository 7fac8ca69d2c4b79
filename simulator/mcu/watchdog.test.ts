import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("watchdog", () => {
  it("resets the board when not kicked in time (manual mode), and boots again from flash", () => {
    const { run, clock, board } = testBoard();
    const enabledAtMs = (run("[E.enableWatchdog(0.5, false), getTime()][1]") as number) * 1000;
    clock.advance(enabledAtMs + 499 - clock.nowMs());
    expect(board.snapshot().bootCount).toBe(1);
    clock.advance(2);
    const snapshot = board.snapshot();
    expect(snapshot.bootCount).toBe(2);
    expect(snapshot.resets.at(-1)?.cause).toBe("watchdog");
    expect(snapshot.resets.at(-1)?.atMs).toBeCloseTo(enabledAtMs + 500, 9);
    expect(snapshot.watchdog.enabled).toBe(false);
    expect(run("typeof E.enableWatchdog")).toBe("function");
  });

  it("does not reset while E.kickWatchdog() is called in time", () => {
    const { run, clock, board } = testBoard();
    run("E.enableWatchdog(0.5, false); setInterval(function () { E.kickWatchdog(); }, 200)");
    clock.advance(10_000);
    expect(board.snapshot().bootCount).toBe(1);
  });

  it("in automatic mode is kicked by the idle loop, so only a hang starves it", () => {
    const { run, clock, board } = testBoard();
    run("E.enableWatchdog(1)");
    clock.advance(10_000);
    expect(board.snapshot().bootCount).toBe(1);
    board.inject({ kind: "firmware-hang" });
    clock.advance(2_000);
    expect(board.snapshot().resets.at(-1)?.cause).toBe("watchdog");
    expect(board.snapshot().hung).toBe(false);
  });

  it("cannot be stopped, survives reset(), and clamps the timeout to the hardware range", () => {
    const { run, clock, board } = testBoard();
    run("E.enableWatchdog(100, false)");
    expect(board.snapshot().watchdog.timeoutMs).toBe(26_000);
    run("E.enableWatchdog(0.001, false)");
    expect(board.snapshot().watchdog.timeoutMs).toBe(13);
    run("E.enableWatchdog(1, false); reset()");
    clock.advance(0);
    expect(board.snapshot().resets.at(-1)?.cause).toBe("interpreter-reset");
    expect(board.snapshot().watchdog.enabled).toBe(true);
    clock.advance(1_001);
    expect(board.snapshot().resets.at(-1)?.cause).toBe("watchdog");
  });
});
