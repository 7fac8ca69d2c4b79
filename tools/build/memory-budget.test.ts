import { describe, expect, it } from "vitest";
import { loadProfile } from "../../hardware/profile.ts";
import { firmwareBundle } from "../../simulator/testing/firmware-rig.ts";
import { AFTER_BOOT_BLOCKS_MAX, UPLOAD_CHUNK_CHARS, bootCodeUploadStatements, estimateFirmwareMemory } from "./memory-budget.ts";

describe("the build's memory budget", () => {
  it("splits boot code into the espruino tool's 1 KB Storage writes, which put the text back together", () => {
    const code = "x".repeat(2 * UPLOAD_CHUNK_CHARS + 10) + '"\\n';
    const statements = bootCodeUploadStatements(code);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/^require\("Storage"\)\.write\("\.bootcde",".*",0,2061\);$/);
    expect(statements[2]).toMatch(/,2048\);$/);
    const pieces = statements.map((statement) => JSON.parse(/^require\("Storage"\)\.write\("\.bootcde",(".*"),\d+(,\d+)?\);$/.exec(statement)![1]));
    expect(pieces.join("")).toBe(code);
  });

  it("estimates the firmware on the MDBT42Q within its limits, the upload far below the firmware's own size", async () => {
    const profile = loadProfile("MDBT42Q");
    const estimate = estimateFirmwareMemory(await firmwareBundle(profile.id), profile);
    expect(estimate.problems).toEqual([]);
    expect(estimate.afterBootBlocks).toBeGreaterThan(0);
    expect(estimate.afterBootBlocks).toBeLessThanOrEqual(AFTER_BOOT_BLOCKS_MAX);
    expect(estimate.uploadPeakBlocks).toBeLessThanOrEqual(estimate.uploadPeakBlocksMax);
    expect(estimate.uploadPeakBlocksMax).toBe(Math.floor(2950 * 0.7));
  });

  it("fails a firmware whose start() throws or never publishes its id, however little it then holds", () => {
    const profile = loadProfile("PICO");
    const throwing = 'E.on("init", function () { throw new Error("no pins"); global.GUILLOTINE = "guillotine 0.1.0 PICO"; });';
    expect(estimateFirmwareMemory(throwing, profile).problems.join("\n")).toMatch(/does not start on a simulated .* \(Uncaught.*no pins/);
    const silent = 'E.on("init", function () {});';
    expect(estimateFirmwareMemory(silent, profile).problems.join("\n")).toMatch(/no firmware id in global.GUILLOTINE/);
    const started = 'E.on("init", function () { global.GUILLOTINE = "guillotine 0.1.0 PICO"; });';
    expect(estimateFirmwareMemory(started, profile).problems).toEqual([]);
  });

  it("fails a firmware that holds too much after boot, and one whose upload statement would not fit", () => {
    const profile = loadProfile("MDBT42Q");
    const hog = 'E.on("init", function () { var hog = []; for (var i = 0; i < 4000; i++) hog.push("item " + i); global.hog = hog; });';
    expect(estimateFirmwareMemory(hog, profile).problems.join("\n")).toMatch(/blocks after boot exceeds the limit of 1224 \(the 1275-block budget less the model's 4 % undercount\)/);
    const tiny = { ...profile, variables: 200 };
    const long = `var text = "${"x".repeat(3000)}";`;
    expect(estimateFirmwareMemory(long, tiny).problems.join("\n")).toMatch(/upload's estimated peak of \d+ blocks leaves less than 30 % of the 200 variables/);
  });
});
