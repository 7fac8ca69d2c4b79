import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { listProfiles, loadProfile, validateProfile } from "./profile.ts";

/** A parsed profile the cases below mutate freely, typed loosely on purpose. */
type Json = any;

function shipped(id: string): Json {
  return JSON.parse(readFileSync(new URL(`./profiles/${id}.json`, import.meta.url), "utf8"));
}

/** Validates a mutated copy of `id` and returns the error message (or fails if accepted). */
function rejection(id: string, mutate: (profile: Json) => void): string {
  const profile = structuredClone(shipped(id));
  mutate(profile);
  try {
    validateProfile(profile, "case.json");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the mutated profile was accepted");
}

describe("shipped profiles", () => {
  it("lists the four boards", () => {
    expect(listProfiles()).toEqual(["ESP32", "MDBT42Q", "PICO", "WIFI"]);
  });

  it.each(["ESP32", "MDBT42Q", "PICO", "WIFI"])("%s loads and validates", (id) => {
    const profile = loadProfile(id);
    expect(profile.id).toBe(id);
    expect(profile.paths.map((path) => path.name)).toEqual(["net0", "power0", "decap", "immol"]);
    expect(profile.links.host.baud).toBe(115200);
  });

  it("refuses an unknown id, naming the known ones", () => {
    expect(() => loadProfile("NOPE")).toThrow(/NOPE.*no such profile.*PICO/);
  });
});

describe("validateProfile rejects", () => {
  const cases: [string, string, (profile: Json) => void, RegExp][] = [
    ["a missing field", "PICO", (p) => delete p.name, /\bname: is missing/],
    ["a wrong type", "PICO", (p) => (p.variables = "5100"), /variables: is "5100", not a positive integer/],
    ["an unknown MCU family", "PICO", (p) => (p.mcuFamily = "avr"), /mcuFamily: is "avr", not one of stm32/],
    ["a bad id", "PICO", (p) => (p.id = "pico"), /id: "pico" is not 1-16 characters/],
    ["a board without SHA256", "PICO", (p) => (p.sha256 = false), /sha256: is false/],
    ["a missing input", "PICO", (p) => delete p.inputs.arm, /inputs\.arm: is not an object/],
    ["a pin used twice", "PICO", (p) => (p.paths[0].relays[1].coil = "B15"), /paths\[0\] \(net0\)\.relays\[1\]\.coil: pin B15 is already used by paths\[0\] \(net0\)\.relays\[0\]\.coil/],
    ["a UART pin reused", "PICO", (p) => (p.led = "A2"), /links\.host\.tx: pin A2 is already used by led/],
    ["a pin the board lacks", "PICO", (p) => (p.inputs.tamper.pin = "C99"), /inputs\.tamper\.pin: pin C99 is not in this board's "pins" list/],
    ["a pin listed twice", "PICO", (p) => p.pins.push("B15"), /pins: lists B15 twice/],
    ["two watched pins on one STM32 line", "PICO", (p) => {
      p.pins.push("B0");
      p.inputs.maintenance.pin = "B0";
    }, /inputs\.maintenance\.pin: STM32 has one interrupt line per pin number, so A0 and B0/],
    ["an output on an ESP32 input-only pin", "ESP32", (p) => {
      p.paths[0].relays[0].coil = "D34";
      p.links.host.rx = "D4";
    }, /coil: pin D34 is input-only on esp32/],
    ["no network path", "PICO", (p) => (p.paths[0].kind = "power"), /paths: has no network path/],
    ["no decapitation path", "PICO", (p) => (p.paths[2].kind = "immolation"), /paths: has 0 decapitation paths, not exactly 1/],
    ["two decapitation paths", "PICO", (p) => (p.paths[3].kind = "decapitation"), /paths: has 2 decapitation paths/],
    ["an unknown path kind", "PICO", (p) => (p.paths[0].kind = "water"), /paths\[0\]\.kind: is "water"/],
    ["three relays on a path", "PICO", (p) => p.paths[0].relays.push({ coil: "A13", feedback: "B12" }), /paths\[0\]\.relays: has 3 relays, not 2/],
    ["one relay on a path", "PICO", (p) => p.paths[1].relays.pop(), /paths\[1\]\.relays: has 1 relays, not 2/],
    ["two paths with one name", "PICO", (p) => (p.paths[1].name = "net0"), /paths\[1\]\.name: "net0" is used by two paths/],
    ["an e-stop that reads normal when its wire breaks", "PICO", (p) => (p.inputs.estop.pull = "down"), /inputs\.estop: a broken wire reads inactive/],
    ["a tamper loop with no pull", "PICO", (p) => (p.inputs.tamper.pull = "none"), /inputs\.tamper\.pull: is none, so a broken wire floats/],
    ["an arm input that arms when its wire breaks", "PICO", (p) => (p.inputs.arm.active = "low"), /inputs\.arm: a broken wire reads active/],
    ["a maintenance strap that engages when its wire breaks", "PICO", (p) => (p.inputs.maintenance.pull = "up"), /inputs\.maintenance: a broken wire reads active/],
    ["a non-standard baud", "PICO", (p) => (p.links.host.baud = 12345), /links\.host\.baud: 12345 is not a standard rate/],
    ["a fractional baud", "PICO", (p) => (p.links.ops.baud = 115200.5), /links\.ops\.baud: is 115200\.5, not a positive integer/],
    ["a zero baud", "PICO", (p) => (p.links.ops.baud = 0), /links\.ops\.baud: is 0, not a positive integer/],
    ["both links on one device", "PICO", (p) => (p.links.ops = { ...p.links.host, tx: "A13", rx: "B12" }), /links\.ops\.device: Serial2 is also the host link/],
    ["the host link on the console", "PICO", (p) => (p.console = "Serial2"), /console: Serial2 is also the host link, which must never reach the REPL/],
    ["the host link on USB", "WIFI", (p) => {
      p.links.ops = { device: "Serial1", tx: "B6", rx: "B7", baud: 115200 };
      p.links.host = { device: "USB", baud: 115200 };
    }, /links\.host\.device: USB cannot go through the isolator/],
    ["a device the MCU lacks", "MDBT42Q", (p) => (p.links.host.device = "Serial2"), /links\.host\.device: "Serial2" cannot carry a link on this MCU/],
    ["a UART without pins", "PICO", (p) => delete p.links.host.rx, /links\.host: Serial2 needs both "tx" and "rx" pins/],
    ["pins on Bluetooth", "MDBT42Q", (p) => (p.links.ops.tx = "D7"), /links\.ops: Bluetooth has no pins/],
    ["a console the MCU lacks", "ESP32", (p) => (p.console = "USB"), /console: "USB" cannot be the console/],
  ];

  it.each(cases)("%s", (_title, id, mutate, message) => {
    const text = rejection(id, mutate);
    expect(text).toMatch(/^board profile case\.json: /);
    expect(text).toMatch(message);
    expect(text).toMatch(/Fix: .+\.$/);
  });

  it("a value that is not an object", () => {
    expect(() => validateProfile([], "case.json")).toThrow(/^board profile case\.json: \(top level\): is not an object/);
  });

});

describe("validateProfile accepts", () => {
  it("a second network path", () => {
    const profile = structuredClone(shipped("PICO"));
    profile.pins.push("X1", "X2", "X3", "X4");
    profile.paths.splice(1, 0, { name: "net1", kind: "network", relays: [{ coil: "X1", feedback: "X2" }, { coil: "X3", feedback: "X4" }] });
    expect(validateProfile(profile, "case.json").paths).toHaveLength(5);
  });
});
