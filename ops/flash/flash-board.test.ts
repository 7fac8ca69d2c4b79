import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { provisionFlash } from "../../simulator/simulation.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { BOOT_CODE_FILE, CONFIG_FILE, SAVED_CODE_FILE, STATE_FILES } from "../../protocol/storage-names.ts";
import { runEspruinoTool, writeBoardJson } from "./espruino-tool.ts";
import { startSimulator, type RunningSimulator } from "../../simulator/io/sim-process.ts";
import { runGuillotine } from "../../simulator/testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";
import { firmwareBundle, rigConfig } from "../../simulator/testing/firmware-rig.ts";
import { findFirmwareId } from "../../protocol/firmware-id.ts";
import { systemTimers } from "../../kit/timers.ts";
import { flashBoard, FlashError } from "./flash-board.ts";

const directory = mkdtempSync(join(tmpdir(), `guillotine-flash-test-${process.pid}-`));
let simulator: RunningSimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function bundleFile(boardId: string): Promise<string> {
  const file = join(directory, `firmware-${boardId}.js`);
  writeFileSync(file, await firmwareBundle(boardId));
  return file;
}

async function flashJson(boardId: string, file: string, port: string): Promise<{ code: number | null; reply: Record<string, any>; stderr: string }> {
  const result = await runGuillotine(["flash", "--board", boardId, "--port", port, "--file", file, "--json"], 90_000);
  return { code: result.code, reply: JSON.parse(result.stdout), stderr: result.stderr };
}

const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString("latin1"));

describe("guillotine flash with the real espruino tool", () => {
  it("PICO: replaces an old saved RAM image, proves the start-up, and a second flash keeps the provisioning", async () => {
    const profile = loadProfile("PICO");
    simulator = await startSimulator({ boardId: profile.id, seed: 41 });
    const { board, endpoints } = simulator;
    // An old install the RAM way: a program uploaded and saved with save().
    const old = join(directory, "old.js");
    writeFileSync(old, 'E.on("init", function () { global.OLD = 1; });\n');
    writeBoardJson(directory, profile);
    const saved = await runEspruinoTool({ port: endpoints.console, baud: 115200, file: old, expression: "save()", boardJsonDirectory: directory, timeoutMs: 20_000 });
    expect(saved.uploadComplete).toBe(true);
    expect(board.flash.has(SAVED_CODE_FILE)).toBe(true);
    board.press("maintenance", true);
    board.reset();

    const file = await bundleFile(profile.id);
    const first = await flashJson(profile.id, file, endpoints.console);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.reply).toMatchObject({ ok: true, profile: "PICO", board: "PICO_R1_3", espruinoVersion: "2v29", firmware: { version: findFirmwareId(await firmwareBundle("PICO"))!.version, boardId: "PICO" } });
    expect(first.reply.memory.totalBlocks).toBe(profile.variables);
    expect(first.reply.memory.usedBlocks + first.reply.memory.freeBlocks).toBe(profile.variables);
    expect(first.reply.storage.usedBytes + first.reply.storage.freeBytes).toBe(first.reply.storage.totalBytes);
    expect(board.flash.has(SAVED_CODE_FILE)).toBe(false);
    expect(text(board.flash.read(BOOT_CODE_FILE))).toBe(await firmwareBundle(profile.id));
    expect(board.snapshot().resets.map((reset) => reset.cause)).not.toContain("watchdog");

    // Provision it, run it once out of maintenance mode (it writes its state slots), then back to maintenance.
    provisionFlash(board.flash, rigConfig());
    board.press("maintenance", false);
    board.reset();
    await waitFor(() => board.flash.has(STATE_FILES[0]) || board.flash.has(STATE_FILES[1]), "the provisioned firmware's first state slot", 10_000);
    expect(board.snapshot().console.device).toBe("LoopbackA");
    board.press("maintenance", true);
    board.reset();
    const provisioning = [CONFIG_FILE, ...STATE_FILES].map((name) => text(board.flash.read(name)));

    const second = await flashJson(profile.id, file, endpoints.console);
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.reply.ok).toBe(true);
    expect([CONFIG_FILE, ...STATE_FILES].map((name) => text(board.flash.read(name)))).toEqual(provisioning);
    expect(board.snapshot().resets.map((reset) => reset.cause)).not.toContain("watchdog");
  }, 180_000);

  it("MDBT42Q: installs on a fresh board and reports its figures", async () => {
    const profile = loadProfile("MDBT42Q");
    simulator = await startSimulator({ boardId: profile.id, seed: 42 });
    simulator.board.press("maintenance", true);
    simulator.board.reset();
    const result = await runGuillotine(["flash", "--board", profile.id, "--port", simulator.endpoints.console, "--file", await bundleFile(profile.id)], 90_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/installed .*firmware-MDBT42Q\.js \([\d,]+ bytes\) as boot code on MDBT42Q \(Espruino 2v29\)/);
    expect(result.stdout).toMatch(/firmware \S+ for MDBT42Q started/);
    expect(result.stdout).toMatch(/memory: [\d,]+ blocks used, [\d,]+ free of 2,950/);
    expect(result.stdout).toMatch(/Storage: [\d,]+ bytes used, [\d,]+ free of [\d,]+/);
  }, 120_000);

  it("refuses a board outside maintenance mode before writing anything", async () => {
    simulator = await startSimulator({ boardId: "PICO", seed: 43 });
    const before = simulator.board.flash.list();
    const wrote = simulator.board.flash.wear().writes;
    const result = await flashJson("PICO", await bundleFile("PICO"), simulator.endpoints.console);
    expect(result.code).toBe(3);
    expect(result.reply.error).toMatch(/maintenance strap is not fitted \(A14 is not high\).*ctl press maintenance on/);
    expect(simulator.board.flash.list()).toEqual(before);
    expect(simulator.board.flash.wear().writes).toBe(wrote);
  }, 60_000);

  it("fails with the board's own words when the firmware throws at start-up, and when it never starts", async () => {
    const profile = loadProfile("PICO");
    simulator = await startSimulator({ boardId: profile.id, seed: 44 });
    simulator.board.press("maintenance", true);
    simulator.board.reset();
    const id = findFirmwareId(await firmwareBundle(profile.id))!;
    const throwing = join(directory, "throwing.js");
    writeFileSync(throwing, `var id = "guillotine ${id.version} PICO";\nE.on("init", function () { throw new Error("boom at start"); });\n`);
    const thrown = await flashJson(profile.id, throwing, simulator.endpoints.console);
    expect(thrown.code).toBe(1);
    expect(thrown.reply.error).toMatch(/reported errors while starting the firmware: Uncaught Error: boom at start/);

    const silent = `var id = "guillotine ${id.version} PICO";\n`;
    writeBoardJson(directory, profile);
    const neverStarts = flashBoard({
      profile, port: simulator.endpoints.console, baud: 115200, file: join(directory, "silent.js"), bundle: silent, bundleId: id,
      boardJsonDirectory: directory, timers: systemTimers, progress: () => undefined, startupMsMax: 1000,
    });
    writeFileSync(join(directory, "silent.js"), silent);
    await expect(neverStarts).rejects.toThrow(FlashError);
    await expect(neverStarts).rejects.toThrow(/did not start within 1 s of load\(\): global GUILLOTINE never appeared/);
  }, 120_000);

  it("fails on LOW_MEMORY when the started firmware has filled the board's memory", async () => {
    const profile = loadProfile("MDBT42Q");
    simulator = await startSimulator({ boardId: profile.id, seed: 45 });
    simulator.board.press("maintenance", true);
    simulator.board.reset();
    const id = findFirmwareId(await firmwareBundle(profile.id))!;
    // Starts, then holds far more than 2,950 blocks: any honest count of them runs out.
    const hog = join(directory, "hog.js");
    writeFileSync(hog, `E.on("init", function () { var hog = []; for (var i = 0; i < 60000; i++) hog.push(i); global.hog = hog; global.GUILLOTINE = "guillotine ${id.version} MDBT42Q"; });\n`);
    const result = await flashJson(profile.id, hog, simulator.endpoints.console);
    expect(result.code).toBe(1);
    expect(result.reply.error).toMatch(/ran out of memory on the Espruino MDBT42Q.*LOW_MEMORY/);
  }, 60_000);
});

describe("guillotine flash refuses a file that is not this board's firmware", () => {
  it("names the build command for a file without a firmware id, and for another board's bundle", async () => {
    const foreign = join(directory, "program.js");
    writeFileSync(foreign, 'E.on("init", function () {});\n');
    const plain = await runGuillotine(["flash", "--board", "PICO", "--port", "tcp://127.0.0.1:1", "--file", foreign]);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/is not a guillotine firmware bundle .*make build BOARD=PICO/);
    const other = await runGuillotine(["flash", "--board", "PICO", "--port", "tcp://127.0.0.1:1", "--file", await bundleFile("MDBT42Q")]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/was built for MDBT42Q, not PICO: .*make build BOARD=PICO/);
  });
});
