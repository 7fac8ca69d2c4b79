import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { listProfiles } from "../../hardware/profile.ts";
import { checkBundle } from "./check-bundle.ts";
import { BUNDLE_BYTES_MAX, buildFirmware, compileFirmware } from "./firmware.ts";
import { runSample } from "./fixtures/sample-logic.ts";
import { compileEntry } from "./pipeline.ts";

const FIXTURE_ENTRY_PATH = fileURLToPath(new URL("./fixtures/sample-entry.ts", import.meta.url));
const BUILD_SCRIPT_PATH = fileURLToPath(new URL("./build.ts", import.meta.url));
const TSX_PATH = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
const SHA256_BYTES = 32;

/** Runs a bundle in a fresh V8 context with the Espruino globals the fixture uses; returns what it printed. */
function runBundle(code: string): string {
  const printed: string[] = [];
  vm.runInNewContext(code, {
    print: (text: string) => printed.push(text),
    require: (name: string) => {
      if (name !== "crypto") throw new Error(`fixture required ${name}`);
      return { SHA256: () => new ArrayBuffer(SHA256_BYTES) };
    },
  });
  return printed.join("\n");
}

describe("pipeline on the fixture (classes, spread, destructuring, defaults, loop closures)", () => {
  const compiled = compileEntry(FIXTURE_ENTRY_PATH, { __FIXTURE_LABEL__: JSON.stringify("fixture") });

  it("produces code the checker accepts", async () => {
    expect(checkBundle(await compiled)).toEqual([]);
  });

  it("computes in a JavaScript engine what the TypeScript sources compute", async () => {
    const output = JSON.parse(runBundle(await compiled)) as { label: string; hashBytes: number; results: unknown };
    expect(output.label).toBe("fixture");
    expect(output.hashBytes).toBe(SHA256_BYTES);
    expect(output.results).toEqual(runSample());
  });

  it("keeps per-iteration loop closures and the other lowered results right", async () => {
    const { results } = JSON.parse(runBundle(await compiled)) as { results: ReturnType<typeof runSample> };
    expect(results.loopClosures).toEqual([0, 10, 20]);
    expect(results.nestedLoopClosures).toEqual(["a0", "b0", "a1", "b1"]);
    expect(results.merged).toEqual({ a: 1, b: 3, c: 4, d: 5 });
    expect(results.defaults).toEqual(["hello world!", "hello Espruino!", "hello board?"]);
    expect(results.areas).toEqual([6, 16, 3, 0]);
  });

  it("leaves require of board modules as a plain call and renames nothing", async () => {
    const code = await compiled;
    expect(code).toContain('require("crypto")');
    expect(code).not.toContain("__require");
    expect(code).toContain("function runSample(");
    expect(code).toContain("describeEntries");
  });

  it("drops class fields without an initialiser and lowers let/const", async () => {
    const code = await compiled;
    expect(code).not.toMatch(/\blabel;/);
    expect(code).not.toMatch(/\b(let|const) /);
  });
});

describe("the real firmware (firmware/espruino/main.ts)", () => {
  const boards = listProfiles();
  const compiled = new Map<string, ReturnType<typeof compileFirmware>>();
  const compileOnce = (board: string): ReturnType<typeof compileFirmware> => {
    if (!compiled.has(board)) compiled.set(board, compileFirmware(board));
    return compiled.get(board)!;
  };

  it("has profiles to build", () => {
    expect(boards.length).toBeGreaterThan(0);
  });

  it("buildFirmware refuses an unknown board, naming it", async () => {
    await expect(buildFirmware("NO_SUCH_BOARD")).rejects.toThrow(/NO_SUCH_BOARD/);
  });

  it.each(boards)("%s passes the Espruino checker", async (board) => {
    const firmware = await compileOnce(board);
    expect(checkBundle(firmware.code)).toEqual([]);
  });

  it.each(boards)("%s sets pretokenise before it defines its first function or class", async (board) => {
    const { code } = await compileOnce(board);
    // The bundle is top-level statements: no function or class may come before the flag.
    const flag = code.indexOf("E.setFlags({pretokenise:1})");
    expect(flag).toBeGreaterThanOrEqual(0);
    expect(code.slice(0, flag)).not.toMatch(/\bfunction\b|\bclass\b|=>/);
  });

  it.each(boards)(`%s fits the budget of ${BUNDLE_BYTES_MAX} bytes`, async (board) => {
    const firmware = await compileOnce(board);
    expect(firmware.bytes).toBeLessThanOrEqual(BUNDLE_BYTES_MAX);
  });
});

describe("build CLI", () => {
  function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(TSX_PATH, [BUILD_SCRIPT_PATH, ...args], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it("fails with exit 1 and a JSON summary naming an unknown board", () => {
    const result = runCli(["--board", "NO_SUCH_BOARD", "--json"]);
    expect(result.status).toBe(1);
    const summary = JSON.parse(result.stdout) as { ok: boolean; boards: Array<{ board: string; bytes: number | null; problems: string[] }> };
    expect(summary.ok).toBe(false);
    expect(summary.boards[0].board).toBe("NO_SUCH_BOARD");
    expect(summary.boards[0].bytes).toBeNull();
    expect(summary.boards[0].problems[0]).toContain("NO_SUCH_BOARD");
  });

  it("exits 2 with usage when no board is named", () => {
    const result = runCli([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage:");
  });
});
