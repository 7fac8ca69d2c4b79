import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FIRMWARE_PUBLIC_PROPERTIES } from "./firmware.ts";
import { firmwarePropertyNames } from "./property-names.ts";

const FIXTURE_TSCONFIG = fileURLToPath(new URL("./fixtures/properties/firmware/tsconfig.json", import.meta.url));
const FIRMWARE_TSCONFIG = fileURLToPath(new URL("../../firmware/tsconfig.json", import.meta.url));

describe("property names the bundle may shorten, on a fixture with every way out", () => {
  const names = firmwarePropertyNames(FIXTURE_TSCONFIG, ["reachedFromOutside"]);

  it("shortens the firmware's own members, fields, methods and parameter properties alike", () => {
    expect(names.shorten).toEqual(["fetched", "ownLink", "parsed", "pendingCount", "quoted", "settings", "slotText", "walked"]);
  });

  it.each([
    ["retries", "declared at protocol/format.ts"],
    ["exception", "declared at protocol/format.ts"],
    ["counter", "serialised at firmware/sample.ts"],
    ["label", "serialised at firmware/sample.ts"],
    ["looseField", "unresolved at firmware/sample.ts"],
    ["quotedKey", "quoted at firmware/sample.ts"],
    ["walkedKey", "serialised at firmware/sample.ts"],
    ["length", "declared at"],
    ["fetchText", "declared at device.d.ts"],
    ["reachedFromOutside", "reached from outside the bundle"],
  ])("keeps %s: %s", (name, why) => {
    expect(names.kept.get(name)).toContain(why);
  });
});

describe("property names of the firmware", () => {
  const names = firmwarePropertyNames(FIRMWARE_TSCONFIG, FIRMWARE_PUBLIC_PROPERTIES);

  it("keeps the persisted state's keys, so a slot written by one version reads in the next", () => {
    for (const key of ["write", "level", "cause", "causeBoot", "boot", "seed", "entries", "next", "head"]) expect(names.shorten).not.toContain(key);
  });

  it("keeps a policy trigger of the configuration file that is also a controller method", () => {
    expect(names.kept.get("exception")).toContain("protocol/config.ts");
  });

  it("keeps what the console reaches, and shortens the controller's own bookkeeping", () => {
    for (const name of FIRMWARE_PUBLIC_PROPERTIES) expect(names.shorten).not.toContain(name);
    expect(names.shorten).toEqual(expect.arrayContaining(["lastStatusPushMs", "deadlineAtMs", "pending", "scheduleWake"]));
  });
});
