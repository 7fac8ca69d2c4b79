import { describe, expect, it } from "vitest";
import { LEVEL_OFFLINE, LEVEL_SEVERED } from "../../protocol/constants.ts";
import { shortHash } from "../../protocol/hmac.ts";
import { EventLog } from "./event-log.ts";
import { chooseState, decodeState, encodeState, type PersistedState } from "./persist.ts";

function state(write: number, level: number): PersistedState {
  const log = new EventLog();
  log.append(0, 0, "boot", level);
  return { write, level, cause: "boot", causeBoot: 2, boot: 2, seed: "ab".repeat(16), log };
}

/** A slot whose hash matches `body`: what only a writer with Storage access could make. */
function sealed(body: string): string {
  return `${body}\n#${shortHash(body, 16)}`;
}

describe("state slots", () => {
  it("round-trip every field, the event log included", () => {
    const original = state(5, LEVEL_SEVERED);
    const decoded = decodeState(encodeState(original))!;
    const fields = (s: PersistedState) => ({ write: s.write, level: s.level, cause: s.cause, causeBoot: s.causeBoot, boot: s.boot, seed: s.seed, log: { ...s.log } });
    expect(fields(decoded)).toEqual(fields(original));
  });

  it("refuse a slot that is absent, torn or altered", () => {
    const text = encodeState(state(1, 0));
    expect(decodeState(undefined)).toBeUndefined();
    expect(decodeState(text.slice(0, text.length - 5))).toBeUndefined();
    expect(decodeState(text.slice(0, 40))).toBeUndefined();
    expect(decodeState(text.replace('"level":0', '"level":1'))).toBeUndefined();
  });

  it("refuse a sealed slot whose level is out of range or whose shape is wrong, without throwing", () => {
    const body = JSON.parse(encodeState(state(1, 0)).split("\n#")[0]);
    for (const level of [6, -1, 1.5, null, "0"]) expect(decodeState(sealed(JSON.stringify({ ...body, level })))).toBeUndefined();
    expect(decodeState(sealed(JSON.stringify({ ...body, entries: "x" })))).toBeUndefined();
    expect(decodeState(sealed(JSON.stringify({ ...body, entries: new Array(17).fill("e") })))).toBeUndefined();
    expect(decodeState(sealed("null"))).toBeUndefined();
    expect(decodeState(sealed("{"))).toBeUndefined();
  });
});

describe("chooseState", () => {
  it("takes the newer of two whole slots", () => {
    const chosen = chooseState([encodeState(state(4, 0)), encodeState(state(5, 1))]);
    expect(chosen).toMatchObject({ damaged: false, state: { write: 5, level: 1 } });
  });

  it("boots a fresh controller from nothing, undamaged", () => {
    expect(chooseState([undefined, undefined])).toEqual({ state: undefined, damaged: false });
    expect(chooseState([encodeState(state(0, LEVEL_OFFLINE)), undefined])).toMatchObject({ damaged: false, state: { write: 0 } });
  });

  it("raises to at least offline, cause state, when a slot is damaged: the lost write may have been a trip", () => {
    const chosen = chooseState([encodeState(state(4, 0)), "garbage"]);
    expect(chosen).toMatchObject({ damaged: true, state: { write: 4, level: LEVEL_OFFLINE, cause: "state" } });
  });

  it("counts a missing slot as damaged once both should exist", () => {
    expect(chooseState([undefined, encodeState(state(3, 0))])).toMatchObject({ damaged: true, state: { level: LEVEL_OFFLINE } });
  });

  it("never lowers a level above offline when damaged", () => {
    expect(chooseState(["garbage", encodeState(state(3, 5))]).state?.level).toBe(5);
  });

  it("reads slots of the previous firmware's format (`S1 ...` text) as damaged: an upgrade boots offline", () => {
    const body = `S1 3 0 boot 2 ${"ab".repeat(16)} 1 ${"0".repeat(32)}`;
    expect(decodeState(sealed(body))).toBeUndefined();
    expect(chooseState([sealed(body), sealed(body.replace("S1 3", "S1 4"))])).toEqual({ state: undefined, damaged: true });
  });

  it("reports damage with no state when no slot is whole", () => {
    expect(chooseState(["garbage", "more garbage"])).toEqual({ state: undefined, damaged: true });
  });
});
