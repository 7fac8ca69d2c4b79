import { describe, expect, it } from "vitest";
import { switchDrive, isActiveLevel } from "./switches.ts";

describe("switchDrive", () => {
  it("pull towards the active level: a normally-closed contact holds the inactive level, opens when active", () => {
    const estop = { pin: "B4", active: "high", pull: "up" } as const;
    expect(switchDrive(estop, false)).toBe(0);
    expect(switchDrive(estop, true)).toBeUndefined();
  });

  it("pull away from the active level: a normally-open contact drives the active level", () => {
    const arm = { pin: "A0", active: "high", pull: "down" } as const;
    expect(switchDrive(arm, false)).toBeUndefined();
    expect(switchDrive(arm, true)).toBe(1);
    const activeLow = { pin: "A0", active: "low", pull: "up" } as const;
    expect(switchDrive(activeLow, true)).toBe(0);
  });

  it("no pull: the source drives both levels", () => {
    const key = { pin: "A1", active: "low", pull: "none" } as const;
    expect(switchDrive(key, true)).toBe(0);
    expect(switchDrive(key, false)).toBe(1);
    expect(isActiveLevel(key, 0)).toBe(true);
  });
});
