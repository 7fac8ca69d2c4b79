import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { firmwareBundle } from "../../simulator/testing/firmware-rig.ts";
import { runEspruinoTool, writeBoardJson } from "./espruino-tool.ts";
import { startSimulator, type RunningSimulator } from "../../simulator/io/sim-process.ts";
import { openCollecting, type CollectingPort } from "../../simulator/testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

const profile = loadProfile("PICO");

/**
 * A tiny program in the shape the firmware uses: everything defined at top level, the work
 * started from E.on("init"), so it runs right after save() and on every boot.
 */
const PROGRAM = `var greeting = "BOOTED";
function announce() {
  ${profile.links.ops.device}.setup(115200);
  ${profile.links.ops.device}.print(greeting + " " + (1 + 2) + "\\n");
  digitalWrite(${profile.led}, 1);
}
E.on("init", announce);
`;

const count = (text: string, word: string) => text.split(word).length - 1;

describe("the real espruino tool against the simulated board", () => {
  const directory = mkdtempSync(join(tmpdir(), `guillotine-tool-test-${process.pid}-`));
  let simulator: RunningSimulator | undefined;
  const ports: CollectingPort[] = [];

  afterEach(async () => {
    for (const port of ports.splice(0)) await port.close();
    await simulator?.close();
    simulator = undefined;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("uploads and saves a program over TCP; after a power cycle it runs from flash", async () => {
    simulator = await startSimulator({ boardId: profile.id, seed: 21 });
    const { board, endpoints } = simulator;
    const ops = await openCollecting(endpoints.ops);
    ports.push(ops);
    const file = join(directory, "program.js");
    writeFileSync(file, PROGRAM);
    writeBoardJson(directory, profile);

    const run = await runEspruinoTool({ port: endpoints.console, baud: 115200, file, expression: "save()", boardJsonDirectory: directory, timeoutMs: 20_000 });
    expect(run).toMatchObject({ connected: true, board: profile.espruinoBoard, version: "2v29", uploadComplete: true, timedOut: false });
    expect(run.boardOutput.filter((line) => /Uncaught/.test(line))).toEqual([]);
    // save() runs the init handlers, as on the real board.
    await waitFor(() => count(ops.received(), "BOOTED 3\n") === 1, () => `BOOTED after save() (ops got ${JSON.stringify(ops.received())})`);
    expect(board.snapshot().pins[profile.led].level).toBe(1);

    board.powerOff();
    expect(board.snapshot().pins[profile.led].level).toBe(0);
    board.powerOn();
    await waitFor(() => count(ops.received(), "BOOTED 3\n") === 2, () => `BOOTED after power-on (ops got ${JSON.stringify(ops.received())})`);
    expect(board.snapshot().pins[profile.led].level).toBe(1);
  });

  it("uploads a firmware-sized statement without overflowing the board's receive buffer", async () => {
    simulator = await startSimulator({ boardId: profile.id, seed: 22 });
    const ops = await openCollecting(simulator.endpoints.ops);
    ports.push(ops);
    // One 12 KB statement (an IIFE on one line, as a bundle is): TCP hands it over in big
    // reads, and the board's USB receive buffer is 256 bytes. Much bigger would not fit the
    // Pico's variables while it is received and run (upload-memory.test.ts).
    const big = "x".repeat(12_000);
    const file = join(directory, "big.js");
    writeFileSync(file, `(function () { var big = "${big}"; E.on("init", function () { ${profile.links.ops.device}.setup(115200); ${profile.links.ops.device}.print("LEN " + big.length + "\\n"); }); })();\n`);
    writeBoardJson(directory, profile);
    const run = await runEspruinoTool({ port: simulator.endpoints.console, baud: 115200, file, expression: "save()", boardJsonDirectory: directory, timeoutMs: 25_000 });
    expect(run.boardOutput.filter((line) => /error|Uncaught/i.test(line))).toEqual([]);
    expect(run.uploadComplete).toBe(true);
    await waitFor(() => ops.received() === "LEN 12000\n", () => `LEN 12000 (ops got ${JSON.stringify(ops.received())})`);
    expect(simulator.board.snapshot().errorFlags).toEqual([]);
  });

  it("reports a console nobody listens on as not connected", async () => {
    writeBoardJson(directory, profile);
    const run = await runEspruinoTool({ port: "tcp://127.0.0.1:1", baud: 115200, expression: "void 'probe'", boardJsonDirectory: directory, timeoutMs: 20_000 });
    expect(run.connected).toBe(false);
    expect(run.board).toBeUndefined();
    expect(run.problems.join("\n")).toMatch(/ECONNREFUSED/);
  });

  it("uploads the real firmware bundle to a board with the room for it (WIFI); it runs after save() and again from flash after a power cycle", async () => {
    // The Pico and MDBT42Q run out of memory uploading the bundle this way (upload-memory.test.ts).
    const wifi = loadProfile("WIFI");
    simulator = await startSimulator({ boardId: wifi.id, seed: 23 });
    const { board, endpoints } = simulator;
    const ops = await openCollecting(endpoints.ops);
    ports.push(ops);
    const file = join(directory, "firmware.js");
    writeFileSync(file, await firmwareBundle(wifi.id));
    writeBoardJson(directory, wifi);
    const run = await runEspruinoTool({ port: endpoints.console, baud: 115200, file, expression: "save()", boardJsonDirectory: directory, timeoutMs: 40_000 });
    expect(run).toMatchObject({ connected: true, uploadComplete: true, timedOut: false });
    expect(run.boardOutput.filter((line) => /Uncaught|error/i.test(line))).toEqual([]);
    const hellos = () => ops.received().split("\n").filter((line) => line.startsWith("HELLO 2 unprovisioned "));
    await waitFor(() => hellos().length === 1, () => `HELLO after save() (ops got ${JSON.stringify(ops.received())})`);
    expect(board.snapshot().console.device).toBe("LoopbackA");
    board.powerOff();
    board.powerOn();
    await waitFor(() => hellos().length === 2, () => `HELLO after the power cycle (ops got ${JSON.stringify(ops.received())})`);
    expect(hellos()[1].split(" ")[4]).not.toBe(hellos()[0].split(" ")[4]);
    expect(board.snapshot().unimplementedCalls).toEqual([]);
  });
});
