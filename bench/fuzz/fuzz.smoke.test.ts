/** A few thousand fuzzed frames must find nothing, and the same seed must replay the same run. */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "../../simulator/rng.ts";
import { fuzz } from "./fuzzer.ts";
import { MUTATIONS, MUTATION_NAMES, mutate } from "./mutations.ts";

const BUNDLE = "dist/firmware-PICO.js";
if (!existsSync(BUNDLE)) throw new Error(`the fuzzer smoke test needs ${BUNDLE}: run \`make build-all\` (make test does)`);
const options = { boardId: "PICO", bundlePath: BUNDLE, delivery: "burst" as const, log: () => undefined };

describe("fuzzer smoke", () => {
  it("3000 frames: no crash, no unlawful lowering, paths follow the level, still serving", async () => {
    const result = await fuzz({ ...options, seed: 11, frames: 3000 });
    expect(result.findings, JSON.stringify(result.findings, null, 2)).toEqual([]);
    expect(result.finalHeartbeatAccepted).toBe(true);
    expect(Object.keys(result.tried.mutations).length).toBe(MUTATION_NAMES.length);
  });

  it("replays exactly from its seed", async () => {
    const first = await fuzz({ ...options, seed: 5, frames: 400 });
    const second = await fuzz({ ...options, seed: 5, frames: 400 });
    expect(second.tried).toEqual(first.tried);
    expect(second.findings).toEqual(first.findings);
  });
});

describe("mutations", () => {
  it("are pure functions of the line and the generator", () => {
    for (const name of MUTATION_NAMES) {
      expect(MUTATIONS[name]("CHAL 3", new Rng(9)), name).toBe(MUTATIONS[name]("CHAL 3", new Rng(9)));
    }
  });

  it("report what they applied", () => {
    const { text, applied } = mutate("LOG 5", new Rng(3));
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(applied.every((name) => MUTATION_NAMES.includes(name))).toBe(true);
    expect(typeof text).toBe("string");
  });

  it("huge-number replaces one of the numeric fields, and only such a field", () => {
    for (let seed = 0; seed < 20; seed++) {
      const out = MUTATIONS["huge-number"]("HB 12 0 ab cd", new Rng(seed)).split(" ");
      expect(out.slice(3)).toEqual(["ab", "cd"]);
      expect([out[1], out[2]]).not.toEqual(["12", "0"]);
    }
  });
});
