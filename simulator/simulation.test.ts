import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadProfile } from "../hardware/profile.ts";
import { FLASH_CAPACITY_BYTES_BY_BOARD, createSimulation, flashCapacityBytes } from "./simulation.ts";

describe("createSimulation", () => {
  let directory: string | undefined;
  afterEach(() => directory !== undefined && rmSync(directory, { recursive: true, force: true }));

  it("logs its seed first, flashes the bundle and powers on", () => {
    directory = mkdtempSync(join(tmpdir(), "simulation-test-"));
    const bundlePath = join(directory, "firmware.js");
    writeFileSync(bundlePath, "(function () { E.on('init', function () { global.ready = getTime(); }); })();");
    const lines: string[] = [];
    const sim = createSimulation({ boardId: "PICO", seed: 99, bundlePath, log: (line) => lines.push(line) });
    expect(lines).toEqual(["simulation seed=99 board=PICO"]);
    expect(sim.seed).toBe(99);
    expect(sim.board.powered).toBe(true);
    // The init handler ran at power-on, once the boot code before it had taken its time.
    const result = sim.board.evaluate("ready");
    expect(result.ok && typeof result.value).toBe("number");
    expect(result.ok && (result.value as number)).toBeLessThan(0.01);
  });

  it("picks and logs a random seed when none is given; the same seed gives the same board", () => {
    const lines: string[] = [];
    const first = createSimulation({ boardId: "MDBT42Q", log: (line) => lines.push(line) });
    expect(lines[0]).toBe(`simulation seed=${first.seed} board=MDBT42Q`);
    const again = createSimulation({ boardId: "MDBT42Q", seed: first.seed, log: () => {} });
    const draw = (sim: typeof first) => {
      const result = sim.board.evaluate("[E.hwRand(), E.hwRand()].join()");
      return result.ok ? result.value : result.text;
    };
    expect(draw(again)).toBe(draw(first));
  });

  it("sizes flash per board and can leave the board off", () => {
    const sim = createSimulation({ boardId: "ESP32", seed: 1, log: () => {}, powerOn: false });
    expect(sim.board.powered).toBe(false);
    expect(sim.flash.capacityBytes).toBe(FLASH_CAPACITY_BYTES_BY_BOARD.ESP32);
    expect(flashCapacityBytes(loadProfile("PICO"))).toBe(48 * 1024);
  });
});
