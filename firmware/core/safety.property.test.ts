/**
 * Long random event sequences against the core, checking the safety invariants after every
 * event: the level never lowers without a valid quorum; a silent host always trips by its
 * deadline; every level at or above severed commands every network relay open (and offline
 * every power relay); no error path lowers the level.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LINK_HOST, LINK_OPS } from "../../protocol/constants.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_TAMPER } from "./inputs.ts";
import { heartbeatFresh, Rig, testConfig } from "./test-fixture.ts";

const NET_COILS = 0b11;
const POWER_COILS = 0b1100;
const QUORUM = testConfig().quorum;

type Event =
  | { kind: "heartbeat"; level: number; fault: "none" | "mac" | "replay" | "measurement" }
  | { kind: "wait"; ms: number; feedbackFault: number }
  | { kind: "input"; bits: number }
  | { kind: "challenge"; target: number }
  | { kind: "sign"; operator: number; forged: boolean }
  | { kind: "garbage"; link: number; text: string }
  | { kind: "exception" }
  | { kind: "reboot" };

const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("heartbeat" as const), level: fc.integer({ min: 0, max: 5 }), fault: fc.constantFrom("none", "none", "none", "mac", "replay", "measurement") }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 1500 }), feedbackFault: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 255 }) }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("input" as const), bits: fc.constantFrom(0, 0, INPUT_ARM, INPUT_ESTOP, INPUT_TAMPER) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("challenge" as const), target: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("sign" as const), operator: fc.integer({ min: 0, max: 3 }), forged: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("garbage" as const), link: fc.constantFrom(LINK_HOST, LINK_OPS), text: fc.string({ maxLength: 200 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "exception" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reboot" as const }) },
);

/** Drives a rig with one event, tracking which operators validly signed the live challenge. */
class Model {
  rig = new Rig();
  seq = 0;
  nonce = "";
  target = 0;
  validSigners = new Set<number>();

  constructor() {
    this.rig.boot(0);
  }

  apply(event: Event): void {
    const rig = this.rig;
    switch (event.kind) {
      case "heartbeat": {
        const seq = event.fault === "replay" ? Math.max(1, this.seq) : ++this.seq;
        const key = event.fault === "mac" ? "99".repeat(32) : undefined;
        const measurement = event.fault === "measurement" ? "0f".repeat(16) : undefined;
        rig.receive(LINK_HOST, rig.heartbeat(seq, event.level, measurement, key));
        break;
      }
      case "wait": {
        const end = rig.nowMs + event.ms;
        for (let t = Math.min(rig.nowMs + 50, end); ; t = Math.min(t + 50, end)) {
          rig.tick(t, rig.idealFeedback() ^ event.feedbackFault);
          if (t === end) break;
        }
        break;
      }
      case "input":
        rig.inputs = event.bits;
        rig.tick(rig.nowMs + 1);
        break;
      case "challenge":
        rig.receive(LINK_OPS, `CHAL ${event.target}\n`, rig.nowMs);
        if (rig.last(LINK_OPS).startsWith("CHAL ")) {
          this.nonce = rig.last(LINK_OPS).split(" ")[1];
          this.target = event.target;
          this.validSigners.clear();
        }
        break;
      case "sign": {
        if (this.nonce === "") return;
        const key = event.forged || event.operator > 2 ? "77".repeat(32) : undefined;
        rig.receive(LINK_OPS, rig.sign(this.nonce, this.target, event.operator, key));
        if (rig.last(LINK_OPS).startsWith("AUTH ") || rig.last(LINK_OPS).startsWith("LEVEL ")) this.validSigners.add(event.operator);
        break;
      }
      case "garbage":
        rig.receive(event.link, event.text + "\n");
        break;
      case "exception":
        rig.controller.exception(rig.nowMs);
        rig.drain();
        break;
      case "reboot":
        rig.boot(rig.nowMs);
        this.seq = 0;
        this.nonce = "";
        break;
    }
  }
}

function checkInvariants(model: Model, before: number, event: Event): void {
  const c = model.rig.controller;
  if (c.level < before) {
    expect(event.kind).toBe("sign");
    expect(c.cause).toBe("quorum");
    expect(model.validSigners.size).toBeGreaterThanOrEqual(QUORUM);
    expect(before).toBeLessThan(4);
  }
  if (c.level >= 2) expect(c.relays.coils & NET_COILS).toBe(0);
  if (c.level >= 3) expect(c.relays.coils & POWER_COILS).toBe(0);
  if (c.level <= 2) {
    const base = Math.max(c.lastHeartbeatMs, c.lastLowerMs, c.bootMs);
    expect(model.rig.nowMs - base).toBeLessThan(c.config.deadlineMs[c.level]);
  }
  if ((c.relays.coils & (NET_COILS | POWER_COILS)) !== 0) expect(heartbeatFresh(c, model.rig.nowMs)).toBe(true);
}

describe("safety invariants over random event sequences", () => {
  it("hold after every event", () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 20, maxLength: 120 }), (events) => {
        const model = new Model();
        for (const event of events) {
          const before = model.rig.controller.level;
          model.apply(event);
          if (event.kind === "reboot") {
            expect(model.rig.controller.level).toBeGreaterThanOrEqual(before);
            continue;
          }
          checkInvariants(model, before, event);
        }
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });
});
