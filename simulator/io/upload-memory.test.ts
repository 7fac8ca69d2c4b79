/**
 * The firmware bundle of commit fa4c001 against the simulated Pico and MDBT42Q, uploaded with
 * the real espruino tool as `guillotine flash` does. On the real 2v29 interpreter with those
 * boards' variable counts the upload runs out of memory (the bundle is one 23 KB statement,
 * held as text and as parsed copy while it runs) and the controller never starts; stored as
 * boot code instead, the same bundle boots. The simulated boards must say the same.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { runEspruinoTool, writeBoardJson } from "../../ops/flash/espruino-tool.ts";
import { startSimulator, type RunningSimulator } from "./sim-process.ts";
import { REPOSITORY_ROOT, runGuillotine } from "../testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const fixture = (boardId: string) => join(REPOSITORY_ROOT, `simulator/testing/fixtures/firmware-fa4c001-${boardId}.js`);
/** What the real interpreter printed when the upload ran out of memory. */
const REAL_FAILURE = ["OUT OF MEMORY", "Uncaught SyntaxError: Got EOF expected '}'", "New interpreter error: LOW_MEMORY,MEMORY"];
const hello = (text: string) => /HELLO 1 /.test(text);

describe("uploading the fa4c001 bundle to the simulated boards it does not fit", () => {
  const directory = mkdtempSync(join(tmpdir(), `guillotine-upload-memory-${process.pid}-`));
  let simulator: RunningSimulator | undefined;
  afterEach(async () => {
    await simulator?.close();
    simulator = undefined;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  for (const boardId of ["PICO", "MDBT42Q"]) {
    it(`${boardId}: the upload then save() fails with the real interpreter's messages, and the controller never starts`, async () => {
      const profile = loadProfile(boardId);
      simulator = await startSimulator({ boardId, seed: 41 });
      const { board, endpoints } = simulator;
      let output = "";
      board.onSerialOutput((_device, data) => (output += data));
      writeBoardJson(directory, profile);
      const run = await runEspruinoTool({ port: endpoints.console, baud: 115200, file: fixture(boardId), expression: "save()", boardJsonDirectory: directory, timeoutMs: 60_000 });
      expect(run).toMatchObject({ connected: true, board: profile.espruinoBoard, uploadComplete: true });
      // What the board printed (the tool relays it to `guillotine flash`: tested below).
      const failureLines = () => output.split("\r\n").map((line) => line.replace(/^>+/, "")).filter((line) => REAL_FAILURE.includes(line));
      await waitFor(() => failureLines().length === REAL_FAILURE.length, () => `the failure messages (board printed ${JSON.stringify(output.slice(-400))})`, 10_000);
      expect(failureLines()).toEqual(REAL_FAILURE);
      board.powerOff();
      board.powerOn();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(hello(output)).toBe(false);
      expect(board.snapshot().console.device).toBe(profile.console);
    });
  }

  it("guillotine flash never uploads a bundle to RAM; it refuses this one, which predates the firmware id", async () => {
    simulator = await startSimulator({ boardId: "MDBT42Q", seed: 42 });
    const result = await runGuillotine(["flash", "--board", "MDBT42Q", "--port", simulator.endpoints.console, "--file", fixture("MDBT42Q"), "--json"], 90_000);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/is not a guillotine firmware bundle/) });
    expect(simulator.board.flash.list()).toEqual([]);
  });

  it("the same bundle stored as boot code (--config SAVE_ON_SEND=1) boots the controller on the MDBT42Q", async () => {
    const profile = loadProfile("MDBT42Q");
    simulator = await startSimulator({ boardId: "MDBT42Q", seed: 43 });
    const { board, endpoints } = simulator;
    let output = "";
    board.onSerialOutput((_device, data) => (output += data));
    writeBoardJson(directory, profile);
    const run = await runEspruinoTool({ port: endpoints.console, baud: 115200, file: fixture("MDBT42Q"), expression: "1", config: ["SAVE_ON_SEND=1"], boardJsonDirectory: directory, timeoutMs: 90_000 });
    expect(run).toMatchObject({ connected: true, uploadComplete: true });
    expect(run.boardOutput.filter((line) => /OUT OF MEMORY|Uncaught|interpreter error/.test(line))).toEqual([]);
    await waitFor(() => hello(output), () => `HELLO from the booted controller (got ${JSON.stringify(output.slice(-300))})`);
    expect(board.flash.has(".bootcde")).toBe(true);
  }, 120_000);
});
