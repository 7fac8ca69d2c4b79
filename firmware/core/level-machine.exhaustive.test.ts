/**
 * Exhaustive exploration of the level machine: every sequence of the events below, to a
 * bounded depth, from a freshly provisioned boot. States that look the same to the ladder
 * (level, inputs, challenge, heartbeat freshness, path stages) are explored once, at the
 * shallowest depth they were reached. After every transition the safety invariants must hold.
 */
import { describe, expect, it } from "vitest";
import { LINK_OPS } from "../../protocol/constants.ts";
import { INPUT_ARM, INPUT_ESTOP } from "./inputs.ts";
import { heartbeatFresh, Rig } from "./test-fixture.ts";

const DEPTH_MAX = 10;
const NET_COILS = 0b11;
const POWER_COILS = 0b1100;

interface Step { name: string; run(rig: Rig): void; lowersByQuorum?: boolean }

function wait(rig: Rig, ms: number): void {
  const end = rig.nowMs + ms;
  for (let t = rig.nowMs + 50; t <= end; t += 50) rig.tick(t);
}

function signed(rig: Rig, target: number, operators: number[]): void {
  wait(rig, 1000); // challenges are rate-limited to one a second
  rig.receive(LINK_OPS, `CHAL ${target}\n`);
  const reply = rig.last(LINK_OPS);
  if (!reply.startsWith("CHAL ")) return;
  const nonce = reply.split(" ")[1];
  for (const operator of operators) rig.receive(LINK_OPS, rig.sign(nonce, target, operator));
}

let seq = 0;
const STEPS: Step[] = [
  { name: "heartbeat", run: (rig) => rig.sendHeartbeat(++seq) },
  { name: "heartbeat asks probation", run: (rig) => rig.sendHeartbeat(++seq, 1) },
  { name: "heartbeat asks offline", run: (rig) => rig.sendHeartbeat(++seq, 3) },
  { name: "forged heartbeat", run: (rig) => rig.receive(0, rig.heartbeat(++seq, 0, undefined, "99".repeat(32))) },
  { name: "wait 600 ms", run: (rig) => wait(rig, 600) },
  { name: "wait 2000 ms", run: (rig) => wait(rig, 2000) },
  { name: "press e-stop", run: (rig) => { rig.inputs |= INPUT_ESTOP; rig.tick(rig.nowMs + 1); } },
  { name: "release inputs", run: (rig) => { rig.inputs = 0; rig.tick(rig.nowMs + 1); } },
  { name: "turn arm key", run: (rig) => { rig.inputs |= INPUT_ARM; rig.tick(rig.nowMs + 1); } },
  { name: "quorum restore to standard", run: (rig) => signed(rig, 0, [0, 1]), lowersByQuorum: true },
  { name: "quorum lower to severed", run: (rig) => signed(rig, 2, [1, 2]), lowersByQuorum: true },
  { name: "one operator restores", run: (rig) => signed(rig, 0, [2]) },
  { name: "one operator raises to offline", run: (rig) => signed(rig, 3, [0]) },
  { name: "quorum to decapitation", run: (rig) => signed(rig, 4, [0, 2]) },
  { name: "quorum to immolation", run: (rig) => signed(rig, 5, [1, 2]) },
];

/** Copies an object graph, keeping prototypes, so a state can be branched from. */
function clone<T>(value: T, seen = new Map<unknown, unknown>()): T {
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (ArrayBuffer.isView(value)) return (value as unknown as Uint8Array).slice() as unknown as T;
  const copy = Array.isArray(value) ? [] : Object.create(Object.getPrototypeOf(value));
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key], seen);
  return copy;
}

function abstractKey(rig: Rig): string {
  const c = rig.controller;
  return JSON.stringify([c.level, rig.inputs, c.challenge !== undefined, c.challenge?.target, c.challenge?.signed, heartbeatFresh(c, rig.nowMs), c.relays.stages, c.pulsePending, c.relays.coils]);
}

function checkTransition(before: Rig, after: Rig, step: Step, path: string[]): void {
  const was = before.controller.level;
  const c = after.controller;
  const where = path.join(" → ");
  if (c.level < was) {
    expect(step.lowersByQuorum, `lowered without a quorum: ${where}`).toBe(true);
    expect(c.cause, where).toBe("quorum");
    expect(was, `irreversible level lowered: ${where}`).toBeLessThan(4);
    expect(after.inputs & INPUT_ESTOP, `lowered with e-stop held: ${where}`).toBe(0);
  }
  if (c.level >= 2) expect(c.relays.coils & NET_COILS, where).toBe(0);
  if (c.level >= 3) expect(c.relays.coils & POWER_COILS, where).toBe(0);
  if ((c.relays.coils & (NET_COILS | POWER_COILS)) !== 0) expect(heartbeatFresh(c, after.nowMs), where).toBe(true);
}

describe("exhaustive exploration of the level machine", () => {
  it(`holds the invariants on every path to depth ${DEPTH_MAX}`, () => {
    const start = new Rig();
    start.boot(0);
    const shallowest = new Map<string, number>();
    const levelsSeen = new Set<number>();
    let transitions = 0;
    const explore = (rig: Rig, depth: number, path: string[]) => {
      if (depth === DEPTH_MAX) return;
      for (const step of STEPS) {
        const next = clone(rig);
        next.sent = [];
        step.run(next);
        transitions++;
        checkTransition(rig, next, step, [...path, step.name]);
        levelsSeen.add(next.controller.level);
        const key = abstractKey(next);
        const seenAt = shallowest.get(key);
        if (seenAt !== undefined && seenAt <= depth + 1) continue;
        shallowest.set(key, depth + 1);
        explore(next, depth + 1, [...path, step.name]);
      }
    };
    explore(start, 0, []);
    // The exploration must have reached every level, or it proves little.
    expect([...levelsSeen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    console.log(`level machine: ${transitions} transitions, ${shallowest.size} distinct states, depth ${DEPTH_MAX}`);
  });
});
