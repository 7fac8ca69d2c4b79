import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateAgentConfig } from "../agent/config.ts";

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
