import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encodeConfigFile } from "../../protocol/config.ts";
import { ConsoleError, EspruinoConsole } from "../../kit/console/espruino-console.ts";
import { createKeyFile } from "../keys/create-key.ts";
import { startFakeEspruino } from "../../kit/testing/fake-espruino.ts";
import type { FakeEspruino } from "../../kit/testing/fake-espruino.ts";
import { HOST_KEY, GOOD_MEASUREMENT, OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openStream, parseEndpoint } from "../../kit/transport/endpoint.ts";
import type { Endpoint } from "../../kit/transport/endpoint.ts";
import { run as provisionCommand } from "./command.ts";
import { ConfigFileError, prepareConfig } from "./config-file.ts";
import { provision, ProvisionError } from "./provision.ts";

const folder = mkdtempSync(join(tmpdir(), "provision-"));
const template = { version: 1, id: "ctl-9", quorum: 2, measurements: [GOOD_MEASUREMENT] };
const fullConfig = { ...template, hostKey: HOST_KEY, operators: OPERATOR_KEYS };
const OLD = { gcfg: "old-config", gst0: "S1 old state 0", gst1: "S1 old state 1" };

function writeJson(name: string, value: unknown, mode = 0o600): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(value));
  chmodSync(path, mode);
  return path;
}

let fake: FakeEspruino | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function connect(url: string): Promise<EspruinoConsole> {
  const board = new EspruinoConsole(await openStream(parseEndpoint(url) as Endpoint), systemTimers, 2000);
  await board.waitForPrompt();
  return board;
}

async function provisionFake(fileText: string, shortestDeadlineMs = 500): Promise<{ result: Awaited<ReturnType<typeof provision>>; saved: Record<string, string>[] }> {
  const board = await connect((fake as FakeEspruino).url);
  const saved: Record<string, string>[] = [];
  try {
    const result = await provision({ console: board, fileText, shortestDeadlineMs, progress: () => undefined, saveState: async (state) => void saved.push(state) });
    return { result, saved };
  } finally {
    board.close();
  }
}

describe("prepareConfig", () => {
  it("validates with the firmware's validator and stores <sha256> <json>", () => {
    const prepared = prepareConfig(writeJson("full.json", fullConfig), { operatorKeyFiles: [] });
    const json = JSON.stringify(prepared.config);
    expect(prepared.fileText).toBe(encodeConfigFile(json));
    expect(prepared.config.deadlineMs).toEqual([1000, 500, 3000]);
  });

  it("takes keys from key files, and lists every validation error", () => {
    const hostKey = join(folder, "host.key");
    const operatorKey = join(folder, "op0.key");
    createKeyFile(hostKey);
    createKeyFile(operatorKey);
    const path = writeJson("template.json", { ...template, quorum: 1 }, 0o644);
    expect(prepareConfig(path, { hostKeyFile: hostKey, operatorKeyFiles: [operatorKey] }).config.operators).toHaveLength(1);
    expect(() => prepareConfig(path, { operatorKeyFiles: [] })).toThrow(/template\.json is not a valid controller configuration:\n\s+hostKey.*\n\s+operators/);
  });

  it("refuses a configuration file holding keys that others can read", () => {
    expect(() => prepareConfig(writeJson("loose.json", fullConfig, 0o644), { operatorKeyFiles: [] })).toThrow(/chmod 600/);
    expect(() => prepareConfig(join(folder, "absent.json"), { operatorKeyFiles: [] })).toThrow(ConfigFileError);
  });
});

describe("provision over the console", () => {
  const fileText = prepareConfig(writeJson("p.json", fullConfig), { operatorKeyFiles: [] }).fileText;

  it("writes the config, erases the state slots after saving them, and never reads a key back", async () => {
    fake = await startFakeEspruino(OLD);
    const { result, saved } = await provisionFake(fileText);
    expect(fake.flash.get("gcfg")).toBe(fileText);
    expect([...fake.flash.keys()]).toEqual(["gcfg"]);
    expect(saved).toEqual([{ gst0: OLD.gst0, gst1: OLD.gst1 }]);
    expect(result.board).toBe("FAKE");
    expect(fake.output).not.toContain(HOST_KEY);
    for (const key of OPERATOR_KEYS) expect(fake.output).not.toContain(key);
    expect(fake.evaluated.filter((statement) => statement.includes(".erase(")).join()).toMatch(/gst0.*gst1.*gcfg.new.*gst0.*gst1/);
  });

  it("leaves everything stored untouched when the staged write fails", async () => {
    fake = await startFakeEspruino(OLD);
    fake.failWritesTo = "gcfg.new";
    await expect(provisionFake(fileText)).rejects.toThrow(ProvisionError);
    expect(Object.fromEntries(fake.flash)).toEqual(OLD);
    expect(fake.evaluated.at(-1)).toContain("(__guillotineConfig=undefined)===undefined");
  });

  it("refuses, storing nothing, a deadline the board's watchdog cannot keep (ESP32: 1 s)", async () => {
    fake = await startFakeEspruino(OLD, "ESP32");
    await expect(provisionFake(fileText, 500)).rejects.toThrow(/watchdog bites after 1000 ms, later than the configuration's shortest heartbeat deadline \(500 ms\).*Nothing was stored/);
    expect(Object.fromEntries(fake.flash)).toEqual(OLD);
    await provisionFake(fileText, 1000);
    expect(Object.fromEntries(fake.flash)).toEqual({ gcfg: fileText });
  });

  it("keeps the verified copy when the final write fails, and a second run completes", async () => {
    fake = await startFakeEspruino(OLD);
    fake.failWritesTo = "gcfg";
    await expect(provisionFake(fileText)).rejects.toThrow(/verified copy stays in gcfg.new: run provision again/);
    expect(fake.flash.get("gcfg.new")).toBe(fileText);
    expect(fake.flash.has("gst0")).toBe(false);
    fake.failWritesTo = undefined;
    await provisionFake(fileText);
    expect(Object.fromEntries(fake.flash)).toEqual({ gcfg: fileText });
  });

  it("says to check maintenance mode when no prompt answers", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `tcp://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const board = new EspruinoConsole(await openStream(parseEndpoint(url) as Endpoint), systemTimers);
    await expect(board.waitForPrompt(100)).rejects.toThrow(ConsoleError);
    await expect(board.waitForPrompt(100)).rejects.toThrow(/maintenance mode/);
    board.close();
    silent.close();
  });

  it("runs end to end as `guillotine provision`, saving the old state to the backup folder", async () => {
    fake = await startFakeEspruino(OLD);
    const backupDir = join(folder, "backups");
    const hostKey = join(folder, "cli-host.key");
    const operatorKeys = [join(folder, "cli-op0.key"), join(folder, "cli-op1.key")];
    for (const path of [hostKey, ...operatorKeys]) createKeyFile(path);
    const config = writeJson("cli.json", template, 0o644);
    const argv = ["--config", config, "--port", fake.url, "--host-key", hostKey, "--backup-dir", backupDir, "--json"];
    for (const path of operatorKeys) argv.push("--operator-key", path);
    expect(await provisionCommand(argv)).toBe(0);
    const stored = fake.flash.get("gcfg") as string;
    expect(JSON.parse(stored.slice(65)).hostKey).toBe(readFileSync(hostKey, "latin1").trim());
    const [backup] = readdirSync(backupDir);
    expect(JSON.parse(readFileSync(join(backupDir, backup), "utf8")).state).toEqual({ gst0: OLD.gst0, gst1: OLD.gst1 });
    expect(await provisionCommand(["--config", config, "--port", fake.url])).toBe(3);
  });

  it("as `guillotine provision`, checks the file's shortest deadline against the board's watchdog", async () => {
    fake = await startFakeEspruino(OLD, "ESP32");
    const shipped = writeJson("esp32-default.json", fullConfig);
    expect(await provisionCommand(["--config", shipped, "--port", fake.url])).toBe(1);
    expect(Object.fromEntries(fake.flash)).toEqual(OLD);
    const slower = writeJson("esp32-slower.json", { ...fullConfig, deadlineMs: [1000, 1000, 3000] });
    expect(await provisionCommand(["--config", slower, "--port", fake.url, "--backup-dir", join(folder, "esp32-backups")])).toBe(0);
  });
});
