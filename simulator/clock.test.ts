import { describe, expect, it } from "vitest";
import { RealClock, TIMERS_AT_ONE_INSTANT_MAX, VirtualClock } from "./clock.ts";
import { Rng } from "./rng.ts";

describe("VirtualClock", () => {
  it("runs timers in time order, ties in insertion order", () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimer(5, () => order.push("b@5"));
    clock.setTimer(1, () => order.push("a@1"));
    clock.setTimer(5, () => order.push("c@5"));
    clock.setTimer(3, () => order.push("x@3"));
    clock.advance(10);
    expect(order).toEqual(["a@1", "x@3", "b@5", "c@5"]);
    expect(clock.nowMs()).toBe(10);
  });

  it("moves only when advanced, and stands at each timer's time while it runs", () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimer(2.5, () => seen.push(clock.nowMs()));
    expect(clock.nowMs()).toBe(0);
    clock.advance(2);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([2.5]);
    expect(clock.nowMs()).toBe(3);
  });

  it("runs timers set by timers when they fall inside the window, and treats past times as now", () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimer(1, () => {
      clock.setTimer(0, () => seen.push(`late@${clock.nowMs()}`));
      clock.setTimer(4, () => seen.push(`chained@${clock.nowMs()}`));
    });
    clock.advance(5);
    expect(seen).toEqual(["late@1", "chained@4"]);
  });

  it("forgets cleared timers", () => {
    const clock = new VirtualClock();
    let ran = false;
    const id = clock.setTimer(1, () => (ran = true));
    clock.clearTimer(id);
    clock.clearTimer(12345);
    clock.advance(2);
    expect(ran).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it("runUntil stops at the timer that makes the predicate true, or at the limit", () => {
    const clock = new VirtualClock();
    let count = 0;
    for (let at = 10; at <= 100; at += 10) clock.setTimer(at, () => count++);
    expect(clock.runUntil(() => count === 3, 1000)).toBe(true);
    expect(clock.nowMs()).toBe(30);
    expect(clock.runUntil(() => count === 99, 25)).toBe(false);
    expect(clock.nowMs()).toBe(55);
    expect(count).toBe(5);
  });

  it("covers hours of board time quickly", () => {
    const clock = new VirtualClock();
    let ticks = 0;
    const tick = () => {
      ticks++;
      clock.setTimer(clock.nowMs() + 100, tick);
    };
    clock.setTimer(0, tick);
    const started = performance.now();
    clock.advance(3 * 3600 * 1000);
    expect(ticks).toBe(3 * 36000 + 1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses a runaway zero-delay loop instead of hanging", () => {
    const clock = new VirtualClock();
    const spin = () => clock.setTimer(clock.nowMs(), spin);
    clock.setTimer(0, spin);
    expect(() => clock.advance(1)).toThrow(`more than ${TIMERS_AT_ONE_INSTANT_MAX} timers`);
  });

  it("gives an identical trace for the same seed", () => {
    const trace = (seed: number) => {
      const clock = new VirtualClock();
      const rng = new Rng(seed);
      const log: string[] = [];
      for (let index = 0; index < 200; index++) {
        const id = index;
        clock.setTimer(rng.int(1000), () => log.push(`${id}@${clock.nowMs()}`));
      }
      clock.advance(1000);
      return log;
    };
    expect(trace(7)).toEqual(trace(7));
    expect(trace(7)).not.toEqual(trace(8));
  });
});

describe("RealClock", () => {
  it("holds time still while a timer's callback runs, so a stalled callback sees no time pass that the rest of the board could not use", async () => {
    const clock = new RealClock();
    const seen = await new Promise<{ before: number; after: number; later: number }>((resolve) => {
      clock.setTimer(clock.nowMs() + 1, () => {
        const before = clock.nowMs();
        const spinUntil = performance.now() + 15;
        while (performance.now() < spinUntil);
        const after = clock.nowMs();
        clock.setTimer(after + 2, () => resolve({ before, after, later: clock.nowMs() }));
      });
    });
    expect(seen.after).toBe(seen.before);
    expect(seen.later).toBeGreaterThanOrEqual(seen.before + 15);
    clock.dispose();
  });

  it("still moves on by the CPU time charged inside a callback", async () => {
    const clock = new RealClock();
    const seen = await new Promise<number[]>((resolve) => {
      clock.setTimer(clock.nowMs(), () => {
        const before = clock.nowMs();
        clock.charge(7);
        resolve([before, clock.nowMs()]);
      });
    });
    expect(seen[1] - seen[0]).toBeCloseTo(7, 9);
    clock.dispose();
  });

  it("runs timers in order on wall-clock time, including sub-millisecond delays", async () => {
    const clock = new RealClock();
    const order: string[] = [];
    const startMs = clock.nowMs();
    await new Promise<void>((resolve) => {
      clock.setTimer(startMs + 3, () => order.push("third"));
      clock.setTimer(startMs + 0.2, () => order.push("first"));
      clock.setTimer(startMs + 0.2, () => order.push("second"));
      clock.setTimer(startMs + 4, () => resolve());
    });
    expect(order).toEqual(["first", "second", "third"]);
    expect(clock.nowMs() - startMs).toBeGreaterThanOrEqual(4);
    clock.dispose();
  });

  it("does not run cleared or disposed timers", async () => {
    const clock = new RealClock();
    let ran = 0;
    clock.clearTimer(clock.setTimer(clock.nowMs() + 1, () => ran++));
    clock.setTimer(clock.nowMs() + 2, () => ran++);
    clock.dispose();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(0);
  });
});

describe("a Clock is the host tools' Timers too", () => {
  it("after() runs once, every() at each period until cancelled, on virtual time", () => {
    const clock = new VirtualClock();
    const runs: string[] = [];
    clock.after(30, () => runs.push(`after@${clock.nowMs()}`));
    const cancelAfter = clock.after(40, () => runs.push("cancelled"));
    const stop = clock.every(25, () => runs.push(`every@${clock.nowMs()}`));
    cancelAfter();
    clock.advance(60);
    stop();
    clock.advance(100);
    expect(runs).toEqual(["every@25", "after@30", "every@50"]);
  });
});
