import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAgentConfig, validateAgentConfig } from "./config.ts";

const valid = {
  controllerId: "ctl-1",
  port: "/dev/ttyUSB0",
  keyFile: "host.key",
  measurements: { files: ["/boot/vmlinuz"], commands: [["uname", "-r"]], tpmPcrs: [0, 7] },
};

function errorsOf(value: unknown): string[] {
  const result = validateAgentConfig(value);
  return "errors" in result ? result.errors : [];
}

describe("validateAgentConfig", () => {
  it("accepts a minimal configuration and fills in defaults", () => {
    const result = validateAgentConfig(valid);
    expect(result).toHaveProperty("config");
    if (!("config" in result)) return;
    expect(result.config).toMatchObject({ baud: 115200, heartbeatPeriodMs: 200, socketPath: "/run/guillotine/agent.sock" });
  });

  it.each([
    [{ controllerId: "Ctl_1" }, /^controllerId: must be 1-16 characters/],
    [{ port: "udp://x:1" }, /^port: "udp:\/\/x:1" is neither/],
    [{ port: "tcp://127.0.0.1:99999" }, /^port: "tcp:\/\/127.0.0.1:99999" is not tcp:\/\/HOST:PORT/],
    [{ heartbeatPeriodMs: 5 }, /^heartbeatPeriodMs: must be an integer from 20 to 2000, got 5$/],
    [{ heartbeatPeriodMs: "200" }, /^heartbeatPeriodMs: must be an integer .* got "200"$/],
    [{ keyFile: undefined }, /^keyFile: is required$/],
    [{ heartbeatPeriod: 100 }, /^heartbeatPeriod: unknown field/],
    [{ measurements: { files: [] } }, /^measurements: lists no source/],
    [{ measurements: { commands: ["uname -r"] } }, /^measurements\.commands\[0\]: must be a non-empty argv array/],
    [{ measurements: { tpmPcrs: [24] } }, /^measurements\.tpmPcrs\[0\]: must be a PCR index 0-23, got 24$/],
    [{ measurements: { file: ["/x"] } }, /^measurements\.file: unknown field/],
  ])("names the field and the problem: %j", (patch, message) => {
    const errors = errorsOf({ ...valid, ...patch });
    expect(errors.some((error) => message.test(error)), errors.join("\n")).toBe(true);
  });

  it("reports every problem at once", () => {
    expect(errorsOf({ controllerId: "", port: 3, extra: true })).toHaveLength(5);
  });

  it("resolves relative paths against the config file's folder and names the file in errors", () => {
    const folder = mkdtempSync(join(tmpdir(), "agent-config-"));
    const path = join(folder, "agent.json");
    writeFileSync(path, JSON.stringify({ ...valid, measurements: { files: ["kernel"] } }));
    const result = loadAgentConfig(path);
    expect(result).toMatchObject({ config: { keyFile: join(folder, "host.key"), measurements: { files: [join(folder, "kernel")] } } });
    writeFileSync(path, "{ not json");
    const broken = loadAgentConfig(path);
    expect("errors" in broken && broken.errors[0].startsWith(path + ": ")).toBe(true);
  });
});
