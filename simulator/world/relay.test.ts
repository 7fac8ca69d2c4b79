import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { Rng } from "../rng.ts";
import { Relay, type Contact } from "./relay.ts";
import { RELAY_TIMING_DEFAULT, type RelayTiming } from "./relay-timing.ts";

function relay(timing: Partial<RelayTiming> = {}, seed = 1) {
  const clock = new VirtualClock();
  const moves: { atMs: number; contact: Contact; closed: boolean }[] = [];
  const coil: { atMs: number; energised: boolean }[] = [];
  const unit = new Relay({
    clock,
    rng: new Rng(seed),
    timing: { ...RELAY_TIMING_DEFAULT, ...timing },
    onCoil: (energised) => coil.push({ atMs: clock.nowMs(), energised }),
    onContact: (contact, closed) => moves.push({ atMs: clock.nowMs(), contact, closed }),
  });
  return { clock, unit, moves, coil };
}

describe("Relay", () => {
  it("operates after operateMs: mirror opens first, then the main contact closes", () => {
    const { clock, unit, moves, coil } = relay({ operateMs: 10, bounceMs: 0 });
    unit.setDriver(true);
    expect(coil).toEqual([{ atMs: 0, energised: true }]);
    clock.advance(9.99);
    expect(unit.mainClosed).toBe(false);
    expect(unit.mirrorClosed).toBe(true);
    clock.advance(0.01);
    expect(moves).toEqual([
      { atMs: 10, contact: "mirror", closed: false },
      { atMs: 10, contact: "main", closed: true },
    ]);
  });

  it("releases after releaseMs: main opens first, then the mirror closes", () => {
    const { clock, unit, moves } = relay({ operateMs: 10, releaseMs: 5, bounceMs: 0 });
    unit.setDriver(true);
    clock.advance(20);
    moves.length = 0;
    unit.setDriver(false);
    clock.advance(5);
    expect(moves).toEqual([
      { atMs: 25, contact: "main", closed: false },
      { atMs: 25, contact: "mirror", closed: true },
    ]);
  });

  it("bounces a closing contact within bounceMs, settles closed, and never closes both contacts", () => {
    const { clock, unit, moves } = relay({ operateMs: 10, bounceMs: 3, bounceCountMax: 4 }, 11);
    unit.setDriver(true);
    clock.advance(20);
    const main = moves.filter((move) => move.contact === "main");
    expect(main.length).toBeGreaterThan(1);
    expect(main.every((move) => move.atMs >= 10 && move.atMs <= 13)).toBe(true);
    expect(main.at(-1)!.closed).toBe(true);
    expect(main.map((move) => move.closed)).toEqual(main.map((_, index) => index % 2 === 0));
    expect(unit.mainClosed && !unit.mirrorClosed).toBe(true);
  });

  it("bounces the same way for the same seed", () => {
    const run = (seed: number) => {
      const { clock, unit, moves } = relay({ bounceMs: 3, bounceCountMax: 4 }, seed);
      unit.setDriver(true);
      clock.advance(50);
      unit.setDriver(false);
      clock.advance(50);
      return moves;
    };
    expect(run(5)).toEqual(run(5));
  });

  it("goes back cleanly when the coil drops before the armature moved", () => {
    const { clock, unit, moves } = relay({ operateMs: 10 });
    unit.setDriver(true);
    clock.advance(5);
    unit.setDriver(false);
    clock.advance(50);
    expect(moves).toEqual([]);
    expect(unit.mirrorClosed).toBe(true);
  });

  it("with an open coil, never operates", () => {
    const { clock, unit, moves, coil } = relay();
    unit.setCoilOpen(true);
    unit.setDriver(true);
    clock.advance(50);
    expect(coil).toEqual([]);
    expect(moves).toEqual([]);
  });

  it("welded: the main contact stays closed and holds the mirror open whatever the coil does", () => {
    const { clock, unit } = relay();
    unit.setWelded(true);
    unit.setDriver(true);
    clock.advance(50);
    unit.setDriver(false);
    clock.advance(50);
    expect(unit.mainClosed).toBe(true);
    expect(unit.mirrorClosed).toBe(false);
    unit.setWelded(false);
    clock.advance(50);
    expect(unit.mainClosed).toBe(false);
    expect(unit.mirrorClosed).toBe(true);
  });
});
