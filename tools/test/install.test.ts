/**
 * What `make setup`'s `npm ci` leaves: every dependency's install script reviewed in
 * package.json's allowScripts (so npm ci prints no warnings and runs none), one serialport for
 * our transports and the espruino tool alike, and its bundled prebuilt binding loading.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

describe("the npm install", () => {
  it("has no dependency whose install script is unreviewed", () => {
    expect(execFileSync("npm", ["install-scripts", "ls"], { cwd: root, encoding: "utf8" }).trim()).toBe("No packages with unreviewed install scripts.");
  });

  it("gives the espruino tool our serialport, whose prebuilt binding loads", async () => {
    const fromEspruino = createRequire(join(root, "node_modules/espruino/core/serial_node_serial.js"));
    expect(fromEspruino.resolve("serialport")).toBe(createRequire(join(root, "package.json")).resolve("serialport"));
    const { SerialPort } = await import("serialport");
    expect(Array.isArray(await SerialPort.list())).toBe(true);
  });
});
