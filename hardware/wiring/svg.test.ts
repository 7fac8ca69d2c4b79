import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { listProfiles, loadProfile, pinUses } from "../profile.ts";
import { MCU_RULES } from "../mcu-rules.ts";
import { PROBE } from "../probe-pins.ts";
import { WIRING_DIRECTORY, renderAll } from "./generate.ts";
import { parseXml } from "./xml-check.ts";

const committed = readdirSync(WIRING_DIRECTORY).filter((name) => name.endsWith(".svg")).sort();
const rendered = renderAll();

function read(name: string): string {
  return readFileSync(new URL(name, WIRING_DIRECTORY), "utf8");
}

function pinsIn(name: string): Set<string> {
  return new Set(parseXml(read(name)).flatMap((element) => (element.attributes["data-pin"] === undefined ? [] : [element.attributes["data-pin"]])));
}

describe("wiring diagrams", () => {
  it("are exactly the generated set (run hardware/wiring/generate.ts after a change)", () => {
    expect(committed).toEqual([...rendered.keys()].sort());
  });

  it.each([...rendered.keys()])("%s matches what generate.ts renders now", (name) => {
    expect(read(name) === rendered.get(name), `${name} is stale: run node_modules/.bin/tsx hardware/wiring/generate.ts`).toBe(true);
  });

  it.each(committed)("%s is well-formed SVG with width, height and viewBox", (name) => {
    const root = parseXml(read(name))[0];
    expect(root.name).toBe("svg");
    const { width, height, viewBox } = root.attributes;
    expect(Number(width)).toBeGreaterThan(0);
    expect(Number(height)).toBeGreaterThan(0);
    expect(viewBox).toBe(`0 0 ${width} ${height}`);
  });

  it.each(listProfiles())("%s-controller.svg shows exactly the pins the profile uses", (id) => {
    const profile = loadProfile(id);
    const used = new Set(pinUses(profile).map((use) => use.pin));
    expect(pinsIn(`${id}-controller.svg`)).toEqual(used);
  });

  it("probe.svg shows exactly the probe pins", () => {
    const expected = new Set([...PROBE.pathSensePins, ...PROBE.coilTapPins, PROBE.estopPin, PROBE.tamperPin, PROBE.supplyPin, ...PROBE.faultSwitches.map((s) => s.pin)]);
    expect(pinsIn("probe.svg")).toEqual(expected);
  });

  it("the probe has one sense pin per path and one coil tap per relay of every profile", () => {
    for (const id of listProfiles()) {
      const profile = loadProfile(id);
      expect(PROBE.pathSensePins).toHaveLength(profile.paths.length);
      expect(PROBE.coilTapPins).toHaveLength(profile.paths.flatMap((path) => path.relays).length);
    }
  });

  it("every probe pin is a pin of the probe's board, used once, and every watched one can be watched beside the others", () => {
    const board = loadProfile(PROBE.board);
    const all = [...PROBE.pathSensePins, ...PROBE.coilTapPins, PROBE.estopPin, PROBE.tamperPin, PROBE.supplyPin, ...PROBE.faultSwitches.map((s) => s.pin)];
    expect(new Set(all).size).toBe(all.length);
    for (const pin of all) expect(board.pins).toContain(pin);
    const watched = [...PROBE.pathSensePins, ...PROBE.coilTapPins];
    const rules = MCU_RULES[board.mcuFamily];
    const conflicts = watched.flatMap((a, i) => watched.slice(i + 1).flatMap((b) => rules.watchConflict(a, b) ?? []));
    expect(conflicts).toEqual([]);
  });
});

describe("parseXml", () => {
  it("returns elements with their attributes", () => {
    const elements = parseXml('<?xml version="1.0"?>\n<svg a="1"><g b=\'x &amp; y\'/><!-- c --><text>&lt;ok&#65;</text></svg>\n');
    expect(elements).toEqual([
      { name: "svg", attributes: { a: "1" } },
      { name: "g", attributes: { b: "x &amp; y" } },
      { name: "text", attributes: {} },
    ]);
  });

  it.each([
    ["an unclosed element", "<svg><g></svg>", /does not match/],
    ["an element never closed", "<svg><g>", /<g> is never closed/],
    ["a bad entity", "<svg>&nbsp;</svg>", /bad entity/],
    ["a bare ampersand", "<svg>a & b</svg>", /bad entity/],
    ["an unquoted attribute", "<svg width=10></svg>", /needs a quoted value/],
    ["a duplicate attribute", '<svg a="1" a="2"></svg>', /appears twice/],
    ["a < in an attribute", '<svg a="<"></svg>', /must be escaped/],
    ["two roots", "<svg></svg><svg></svg>", /more than one root/],
    ["text outside the root", "<svg></svg>junk", /text outside the root/],
    ["no root", "  ", /no root element/],
  ])("rejects %s", (_title, text, message) => {
    expect(() => parseXml(text)).toThrow(message);
  });
});
