import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateAgentConfig } from "../../attester/config.ts";

describe("the shipped agent configuration example", () => {
  it("is valid, so the documentation's starting point works", () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, "agent.example.json"), "utf8"));
    expect(validateAgentConfig(example)).toHaveProperty("config");
  });

  it("matches the unit file's paths", () => {
    const unit = readFileSync(join(import.meta.dirname, "guillotine-agent.service"), "utf8");
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^NotifyAccess=all$/m);
    expect(unit).toMatch(/^WatchdogSec=/m);
    expect(unit).toContain("agent run --config /etc/guillotine/agent.json");
    expect(unit).toMatch(/^RuntimeDirectory=guillotine$/m);
  });
});

describe("the shipped ops daemon unit", () => {
  it("starts the daemon on the socket the documentation names, in the runtime directory it creates", () => {
    const unit = readFileSync(join(import.meta.dirname, "guillotine-ops-daemon.service"), "utf8");
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/guillotine\/bin\/guillotine\.mjs ops daemon \\$/m);
    expect(unit).toContain("--socket /run/guillotine-ops/ops.sock --socket-mode 0660");
    expect(unit).toMatch(/^RuntimeDirectory=guillotine-ops$/m);
    const docs = readFileSync(join(import.meta.dirname, "../../docs/operations.md"), "utf8");
    expect(docs).toContain("ops/systemd/guillotine-ops-daemon.service");
  });
});
