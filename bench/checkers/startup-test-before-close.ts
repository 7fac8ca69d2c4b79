/**
 * SR-7: before a path conducts, each of its two relays was energised on its own while the
 * other kept the path open, every time the path closes (after boot, after any opening).
 */
import { ms, type Checker } from "./checker.ts";

interface PathTest {
  on: [boolean, boolean];
  /** Relay r was seen energised alone, then released. */
  tested: [boolean, boolean];
  alone: [boolean, boolean];
  closed: boolean;
}

function fresh(): PathTest {
  return { on: [false, false], tested: [false, false], alone: [false, false], closed: false };
}

export const startupTestBeforeClose: Checker = {
  name: "startup-test-before-close",
  requirement: "SR-7",
  needs: ["coils"],
  check({ timeline, pathKinds }) {
    const violations: string[] = [];
    let paths = pathKinds.map(fresh);
    for (const event of timeline.events) {
      if (event.kind === "boot" || (event.kind === "power" && !event.on)) paths = pathKinds.map(fresh);
      if (event.kind !== "coil") continue;
      const state = paths[event.relay >> 1];
      if (state === undefined) continue;
      const r = event.relay & 1;
      const other = 1 - r;
      state.on[r] = event.energised;
      if (event.energised && !state.on[other]) state.alone[r] = true;
      if (event.energised && state.on[other]) state.alone[other] = false;
      if (!event.energised && state.alone[r]) state.tested[r] = true;
      if (!event.energised) state.alone[r] = false;
      if (!event.energised && state.closed) paths[event.relay >> 1] = { ...fresh(), on: [...state.on] as [boolean, boolean] };
      if (state.on[0] && state.on[1] && !state.closed) {
        if (!(state.tested[0] && state.tested[1])) {
          violations.push(`path ${event.relay >> 1} (${pathKinds[event.relay >> 1]}) energised both relays at ${ms(event.atMs)} without testing each alone first (tested: ${state.tested.join(",")})`);
        }
        state.closed = true;
      }
    }
    return violations;
  },
};
