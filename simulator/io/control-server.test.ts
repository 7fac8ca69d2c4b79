import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { sendControlRequest } from "./control-client.ts";
import { CONTROL_LINE_BYTES_MAX, startControlServer, type ControlServer } from "./control-server.ts";

/** Sends raw text on a fresh connection and returns the first reply line, parsed. */
function sendRaw(path: string, text: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => socket.write(text));
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf("\n");
      if (end < 0) return;
      socket.destroy();
      resolve(JSON.parse(buffered.slice(0, end)));
    });
    socket.on("error", reject);
  });
}

describe("control server", () => {
  const directory = mkdtempSync(join(tmpdir(), `guillotine-control-test-${process.pid}-`));
  const socketPath = join(directory, "control.sock");
  let server: ControlServer;
  let board: SimulatedBoard;

  beforeAll(async () => {
    board = new SimulatedBoard({ profile: loadProfile("PICO"), clock: new VirtualClock(), flash: new Flash(), seed: 1 });
    board.powerOn();
    server = await startControlServer({ board, path: socketPath });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const bad: [string, string, RegExp][] = [
    ["bad JSON", "{nope\n", /not valid JSON.*one JSON object per line/],
    ["a non-object", "[1,2]\n", /must be a JSON object/],
    ["a missing cmd", '{"id":1}\n', /"cmd" is missing: use one of snapshot, press/],
    ["an unknown command", '{"id":1,"cmd":"explode"}\n', /unknown command "explode": use one of/],
    ["an unknown field", '{"id":1,"cmd":"snapshot","verbose":true}\n', /snapshot does not take "verbose"/],
    ["an unknown input", '{"id":1,"cmd":"press","input":"big-red","active":true}\n', /unknown input "big-red": use one of estop, tamper, arm, maintenance/],
    ["a non-boolean active", '{"id":1,"cmd":"press","input":"estop","active":"yes"}\n', /"active" must be true or false/],
    ["an unknown fault", '{"id":1,"cmd":"fault","kind":"gremlins"}\n', /unknown fault kind "gremlins": use one of relay-welded/],
    ["a fault missing a field", '{"id":1,"cmd":"fault","kind":"relay-welded"}\n', /needs "relay"/],
    ["a fault on an unknown path", '{"id":1,"cmd":"fault","kind":"relay-welded","path":"net9","relay":0}\n', /unknown path "net9": use one of net0, power0/],
    ["a fault field of the wrong kind", '{"id":1,"cmd":"fault","kind":"firmware-hang","relay":0}\n', /firmware-hang has no field "relay"/],
    ["an unknown link", '{"id":1,"cmd":"unplug","link":"usb3"}\n', /unknown link "usb3": use one of host \(Serial2\), ops \(Serial1\), console \(USB\)/],
    ["a bad power request", '{"id":1,"cmd":"power","on":"maybe"}\n', /"on" must be true or false/],
  ];
  for (const [what, text, error] of bad) {
    it(`rejects ${what} with a clear error`, async () => {
      const reply = await sendRaw(socketPath, text);
      expect(reply.ok).toBe(false);
      expect(reply.error).toMatch(error);
    });
  }

  it("rejects an endless line and keeps serving the connection", async () => {
    const reply = await sendRaw(socketPath, "x".repeat(CONTROL_LINE_BYTES_MAX + 10));
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/longer than/) });
  });

  it("answers every request on one connection in order, with its id", async () => {
    const replies = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const socket = createConnection(socketPath, () => socket.write('{"id":"a","cmd":"snapshot"}\nnot json\n{"id":7,"cmd":"reset","x":1}\n'));
      let buffered = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n").filter((line) => line !== "");
        if (lines.length < 3) return;
        socket.destroy();
        resolve(lines.map((line) => JSON.parse(line)));
      });
      socket.on("error", reject);
    });
    expect(replies.map((reply) => [reply.id, reply.ok])).toEqual([["a", true], [undefined, false], [7, false]]);
  });

  it("drives the board: press, fault, unplug, power", async () => {
    expect(await sendControlRequest(socketPath, { cmd: "press", input: "estop", active: true })).toMatchObject({ ok: true });
    expect(await sendControlRequest(socketPath, { cmd: "fault", kind: "relay-welded", path: "power0", relay: 1 })).toMatchObject({
      ok: true,
      fault: { kind: "relay-welded", relay: 3 },
    });
    expect(await sendControlRequest(socketPath, { cmd: "unplug", link: "host" })).toMatchObject({ ok: true, device: "Serial2" });
    const reply = await sendControlRequest(socketPath, { cmd: "snapshot" });
    if (!reply.ok) throw new Error(reply.error);
    const snapshot = reply.snapshot as { inputs: { estop: { active: boolean } }; relays: { welded: boolean }[]; powered: boolean };
    expect(snapshot.inputs.estop.active).toBe(true);
    expect(snapshot.relays[3].welded).toBe(true);
    expect(await sendControlRequest(socketPath, { cmd: "power", on: false })).toMatchObject({ ok: true });
    expect(await sendControlRequest(socketPath, { cmd: "snapshot" })).toMatchObject({ ok: true, snapshot: { powered: false } });
  });
});
