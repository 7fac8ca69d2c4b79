import { describe, expect, it } from "vitest";
import { Rng } from "./rng.ts";

describe("Rng", () => {
  it("repeats its sequence for a seed and differs across seeds", () => {
    const draw = (seed: number) => Array.from({ length: 8 }, ((rng) => () => rng.nextU32())(new Rng(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("keeps int(n) within [0, n) and nextFloat within [0, 1)", () => {
    const rng = new Rng(1);
    const counts = new Array(6).fill(0);
    for (let index = 0; index < 6000; index++) counts[rng.int(6)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
    for (let index = 0; index < 1000; index++) {
      const value = rng.nextFloat();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("derives independent streams: drawing from one does not shift another", () => {
    const parent = new Rng(5);
    const first = parent.derive("relay0").nextU32();
    parent.derive("noise").nextU32();
    expect(new Rng(5).derive("relay0").nextU32()).toBe(first);
    expect(new Rng(5).derive("noise").nextU32()).not.toBe(first);
  });

  it("rejects seeds that are not 32-bit unsigned integers", () => {
    expect(() => new Rng(-1)).toThrow("seed");
    expect(() => new Rng(1.5)).toThrow("seed");
    expect(() => new Rng(2 ** 32)).toThrow("seed");
  });
});
