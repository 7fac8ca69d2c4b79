import { describe, expect, it } from "vitest";
import { sha256HexOfText } from "../kit/crypto.ts";
import { decodeConfigFile, defaultConfigFields, encodeConfigFile, validateConfig } from "./config.ts";
import { HOST_KEY, OPERATOR_KEYS } from "./testing/keys.ts";
import { testConfig } from "../firmware/core/test-fixture.ts";
import { POLICY_TRIGGERS } from "./constants.ts";

/** The errors of validating testConfig() with `changes` applied (undefined deletes a field). */
function errorsWith(changes: Record<string, unknown>): string[] {
  const config: Record<string, unknown> = { ...testConfig() };
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) delete config[field];
    else config[field] = value;
  }
  return validateConfig(config).errors;
}

describe("validateConfig", () => {
  it("has a default for every policy trigger, in the protocol's order (it checks policy names against them)", () => {
    expect(Object.keys(defaultConfigFields().policy as object)).toEqual(POLICY_TRIGGERS);
  });

  it("accepts the test configuration as it is", () => {
    const result = validateConfig(testConfig());
    expect(result.errors).toEqual([]);
    expect(result.config).toEqual(testConfig());
  });

  it("fills every optional field with the shipped default", () => {
    const { version, id, hostKey, operators, quorum, measurements } = testConfig();
    const result = validateConfig({ version, id, hostKey, operators, quorum, measurements });
    expect(result.errors).toEqual([]);
    expect(result.config).toMatchObject(defaultConfigFields());
  });

  it("merges a partial policy over the default one", () => {
    const result = validateConfig({ ...testConfig(), policy: { mac: 3 } });
    expect(result.config?.policy).toMatchObject({ mac: 3, replay: 2, estop: 3 });
  });

  it("refuses what is not a JSON object", () => {
    for (const value of [null, 7, "x", [testConfig()]]) expect(validateConfig(value).errors).toEqual(["configuration: must be a JSON object"]);
  });

  it.each([
    ["an unknown field", { colour: "red" }, /^colour: must be one of id, hostKey/],
    ["another version", { version: 2 }, /^version: must be an integer 1-1$/],
    ["a missing id", { id: undefined }, /^id: must be 1-16 of a-z, 0-9, '-'$/],
    ["an id with capitals", { id: "Ctrl" }, /^id: must be/],
    ["a short host key", { hostKey: "ab" }, /^hostKey: must be 64 lowercase hex digits$/],
    ["no operators", { operators: [] }, /^operators: must be 1-5 distinct strings of 64 lowercase hex digits$/],
    ["six operators", { operators: ["1", "2", "3", "4", "5", "6"].map((d) => d.repeat(64)) }, /^operators: must be 1-5 distinct/],
    ["a repeated operator key", { operators: [OPERATOR_KEYS[0], OPERATOR_KEYS[0]] }, /^operators: must be 1-5 distinct/],
    ["the host key as an operator key", { operators: [HOST_KEY, OPERATOR_KEYS[0]] }, /^operators: must be keys other than hostKey$/],
    ["a quorum above the operators", { quorum: 4 }, /^quorum: must be an integer 1-3$/],
    ["a fractional quorum", { quorum: 1.5 }, /^quorum: must be an integer 1-3$/],
    ["an uppercase measurement", { measurements: ["5E".repeat(16)] }, /^measurements: must be 1-4 distinct strings of 32/],
    ["two deadlines", { deadlineMs: [1000, 500] }, /^deadlineMs\[0\]: must be an integer 250-60000$/],
    ["a deadline under the shortest", { deadlineMs: [1000, 249, 3000] }, /^deadlineMs\[1\]: must be an integer 250-60000$/],
    ["probation looser than standard", { deadlineMs: [500, 1000, 3000] }, /^deadlineMs: must be ordered: probation <= standard <= severed$/],
    ["a slow cycle", { cycleMs: 61 }, /^cycleMs: must be an integer 10-60$/],
    ["a string settle time", { relaySettleMs: "30" }, /^relaySettleMs: must be an integer 5-500$/],
    ["a flood that is not an object", { flood: 8 }, /^flood\.max: must be an integer 1-100$/],
    ["a flood window of zero", { flood: { max: 8, windowMs: 0 } }, /^flood\.windowMs: must be an integer 100-60000$/],
    ["a policy that is not an object", { policy: "strict" }, /^policy: must be an object of trigger: level$/],
    ["an unknown trigger", { policy: { noise: 2 } }, /^policy\.noise: must be one of mac, replay/],
    ["a trigger mapped to standard", { policy: { mac: 0 } }, /^policy\.mac: must be an integer 1-3$/],
    ["a boot level below severed", { bootLevel: 1 }, /^bootLevel: must be an integer 2-3$/],
    ["a boot level above offline", { bootLevel: 4 }, /^bootLevel: must be an integer 2-3$/],
    ["a trigger mapped to decapitation", { policy: { estop: 4 } }, /^policy\.estop: must be an integer 1-3$/],
  ])("refuses %s, naming the field and what it must be", (_, changes, message) => {
    const errors = errorsWith(changes);
    expect(errors.some((error) => message.test(error)), errors.join("\n")).toBe(true);
  });

  it("reports every problem at once", () => {
    expect(errorsWith({ id: "", quorum: 9, cycleMs: 0 })).toHaveLength(3);
  });
});

describe("the stored configuration file", () => {
  const json = JSON.stringify(testConfig());

  it("is the SHA-256 of the JSON text, a space, and the text", () => {
    expect(encodeConfigFile(json)).toBe(`${sha256HexOfText(json)} ${json}`);
    expect(decodeConfigFile(encodeConfigFile(json)).config).toEqual(testConfig());
  });

  it("is refused when missing, when its digest does not match, and when it is not JSON", () => {
    expect(decodeConfigFile(undefined).errors).toEqual(["config missing"]);
    expect(decodeConfigFile(encodeConfigFile(json).replace("ctrl-test", "ctrl-tesu")).errors).toEqual(["config digest wrong"]);
    expect(decodeConfigFile(encodeConfigFile("{not json")).errors).toEqual(["config not JSON"]);
  });
});
