/** The two ways parameters reach fence_guillotine, and the checks that refuse bad ones. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATOR_KEYS } from "../../protocol/testing/keys.ts";
import { parseCommandLine, parseStdin, settingsOf, withDefaults } from "./options.ts";

const folder = mkdtempSync(join(tmpdir(), "fence-options-"));
const key = join(folder, "op.key");
writeFileSync(key, OPERATOR_KEYS[0] + "\n", { mode: 0o600 });
const base = { serial_port: "/dev/ttyUSB1", operator: "0", key_file: key };

describe("fence_guillotine parameters", () => {
  it("reads Pacemaker's name=value lines: port means plug, nodename is dropped, unknown names warned about", () => {
    const warnings: string[] = [];
    const values = parseStdin('# comment\naction=off\nport=lab-rack-1\nnodename=server1\nserial-port="/dev/ttyUSB1"\nverbose=yes\nfrobnicate=1\n\n', warnings);
    expect(values).toEqual({ action: "off", plug: "lab-rack-1", serial_port: "/dev/ttyUSB1", verbose: "1" });
    expect(warnings).toEqual(['ignoring unknown parameter "frobnicate"']);
  });

  it("reads getopt-style flags in each spelling, and refuses unknown ones", () => {
    expect(parseCommandLine(["-o", "status", "-nrack", "--serial-port=/dev/x", "--operator", "3", "-v"]))
      .toEqual({ action: "status", plug: "rack", serial_port: "/dev/x", operator: "3", verbose: "1" });
    expect(() => parseCommandLine(["--colour"])).toThrow('unknown option "--colour"');
    expect(() => parseCommandLine(["--operator"])).toThrow("option --operator needs a value");
    expect(() => parseCommandLine(["off"])).toThrow('unexpected argument "off"');
  });

  it("fills the defaults: reboot, offline, PICO, 20 s", () => {
    const settings = settingsOf(withDefaults(base));
    expect(withDefaults({}).action).toBe("reboot");
    expect(withDefaults({ action: "META-DATA" }).action).toBe("metadata");
    expect(settings).toMatchObject({ level: 3, board: "PICO", powerTimeoutMs: 20000, answerTimeoutMs: 3000, plug: undefined, operator: 0 });
  });

  it.each([
    [{ operator: "-1" }, 'operator="-1" must be an operator index 0-9'],
    [{ level: "standard" }, 'level="standard" must be severed or offline'],
    [{ level: "decapitation" }, "must be severed or offline"],
    [{ board: "NOPE" }, 'board="NOPE" is not a board profile'],
    [{ serial_port: "http://x" }, "serial_port: "],
    [{ power_timeout: "soon" }, 'power_timeout="soon" must be a number of seconds'],
    [{ baud: "0" }, 'baud="0" must be a positive integer'],
    [{ key_file: join(folder, "missing.key") }, "not found"],
    [{ key_file: folder }, "is a directory"],
  ])("refuses %o", (change, message) => {
    expect(() => settingsOf(withDefaults({ ...base, ...change }))).toThrow(message);
  });

  it("refuses a missing serial_port", () => {
    expect(() => settingsOf(withDefaults({ operator: "0", key_file: key }))).toThrow("parameter serial_port is required");
  });
});
