/**
 * docs/requirements.md and the bench agree: every requirement a scenario or checker cites
 * exists, and every requirement is verified by at least one scenario.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKERS } from "../checkers/index.ts";
import { SCENARIOS } from "./index.ts";

const document = readFileSync(new URL("../../docs/requirements.md", import.meta.url), "utf8");
const defined = [...document.matchAll(/^## (SR-\d+) /gm)].map((match) => match[1]);

describe("requirements traceability", () => {
  it("defines SR-1 onwards without gaps", () => {
    expect(defined).toEqual(defined.map((_, index) => `SR-${index + 1}`));
    expect(defined.length).toBeGreaterThanOrEqual(10);
  });

  it("every scenario and checker cites only defined requirements", () => {
    for (const scenario of SCENARIOS) for (const id of scenario.requirements) expect(defined, scenario.id).toContain(id);
    for (const checker of CHECKERS) expect(defined, checker.name).toContain(checker.requirement);
  });

  it("every requirement is verified by a scenario", () => {
    const cited = new Set(SCENARIOS.flatMap((scenario) => scenario.requirements));
    expect(defined.filter((id) => !cited.has(id))).toEqual([]);
  });

  it("every scenario is named in the document", () => {
    const missing = SCENARIOS.filter((scenario) => !document.includes(`\`${scenario.id}\``) && !document.includes(`\`${scenario.id.replace(/-probation$/, "")}*\``));
    expect(missing.map((scenario) => scenario.id)).toEqual([]);
  });
});
