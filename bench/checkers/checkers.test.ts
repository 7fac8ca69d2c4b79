/**
 * The checkers on hand-made timelines: each must flag the violation it guards against and
 * stay quiet on the lawful version of the same story (a checker that never fires proves
 * nothing).
 */
import { describe, expect, it } from "vitest";
import { benchConfig } from "../harness/config.ts";
import { authLine, heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import { Timeline, type TimelineEvent } from "../harness/timeline.ts";
import type { CheckInput } from "./checker.ts";
import { closedNeedsFreshHeartbeat } from "./closed-needs-fresh-heartbeat.ts";
import { errorRepliesBounded } from "./error-replies-bounded.ts";
import { firmwareHealthy, noUnprovokedReset } from "./firmware-healthy.ts";
import { levelLoweredOnlyByQuorum } from "./level-lowered-only-by-quorum.ts";
import { pathsFollowLevel } from "./paths-follow-level.ts";
import { startupTestBeforeClose } from "./startup-test-before-close.ts";

const config = benchConfig(1, "PICO");
const NONCE = "ab".repeat(16);
const CNONCE = "cd".repeat(16);
const KINDS = ["network", "power", "decapitation", "immolation"];

function input(events: TimelineEvent[]): CheckInput {
  const timeline = new Timeline();
  for (const event of events) timeline.add(event);
  return { timeline, config, pathKinds: KINDS, capabilities: new Set(["coils"]), fresh: true, endMs: Math.max(...events.map((e) => e.atMs)) + 100 };
}

const rx = (atMs: number, text: string, link: "host" | "ops" = "host"): TimelineEvent => ({ atMs, kind: "rx", link, text });
const tx = (atMs: number, text: string, link: "host" | "ops" = "ops"): TimelineEvent => ({ atMs, kind: "tx", link, text: text + "\n", arrivesAtMs: atMs + 1, byteMs: 0 });
const hello = (atMs: number, level: number): TimelineEvent => rx(atMs, `HELLO 2 bench-sim 0.1.0 ${NONCE} ${level} 0 npdi`);
const quorumFor = (level: number, operators: number[]): TimelineEvent[] => [
  rx(10, `CHAL ${CNONCE} ${level} 300 2`, "ops"),
  ...operators.map((operator, index) => tx(20 + index, authLine(config.id, CNONCE, level, operator, config.operators[operator]))),
];

describe("level-lowered-only-by-quorum", () => {
  it("accepts a lowering after two distinct valid signatures", () => {
    expect(levelLoweredOnlyByQuorum.check(input([hello(0, 3), ...quorumFor(0, [0, 2]), rx(30, "LEVEL 0 quorum")]))).toEqual([]);
  });

  it("flags a lowering with one operator signing twice, or a forged signature", () => {
    expect(levelLoweredOnlyByQuorum.check(input([hello(0, 3), ...quorumFor(0, [1, 1]), rx(30, "LEVEL 0 quorum")]))).toHaveLength(1);
    const forged = tx(21, authLine(config.id, CNONCE, 0, 1, "00".repeat(32)));
    expect(levelLoweredOnlyByQuorum.check(input([hello(0, 3), ...quorumFor(0, [0]), forged, rx(30, "LEVEL 0 quorum")]))).toHaveLength(1);
  });

  it("flags a reboot into a lower level and a fresh controller booting below offline", () => {
    const rebootLower = [hello(0, 3), rx(10, "LEVEL 4 quorum"), rx(20, `HELLO 2 bench-sim 0.1.0 ${"ef".repeat(16)} 3 0 npdi`)];
    expect(levelLoweredOnlyByQuorum.check(input(rebootLower))).toHaveLength(1);
    expect(levelLoweredOnlyByQuorum.check(input([hello(0, 0)]))).toHaveLength(1);
  });
});

describe("paths-follow-level", () => {
  it("flags a network path still conducting after severed was announced, not one that opened in time", () => {
    const late = [hello(0, 0), { atMs: 5, kind: "path", path: 0, conducting: true }, rx(100, "LEVEL 2 mac"), { atMs: 130, kind: "path", path: 0, conducting: false }] as TimelineEvent[];
    expect(pathsFollowLevel.check(input(late))).toHaveLength(1);
    const prompt = [...late.slice(0, 3), { atMs: 105, kind: "path", path: 0, conducting: false }] as TimelineEvent[];
    expect(pathsFollowLevel.check(input(prompt))).toEqual([]);
  });
});

describe("closed-needs-fresh-heartbeat", () => {
  const beat = (atMs: number, seq: number): TimelineEvent => tx(atMs, heartbeatLine({ id: config.id, nonce: NONCE, seq, level: 0, measurement: config.measurements[0], keyHex: config.hostKey }), "host");

  it("accepts a path closed while ACKed heartbeats keep coming", () => {
    const events = [hello(0, 0), beat(100, 1), rx(110, "ACK 1 0"), { atMs: 300, kind: "path", path: 0, conducting: true }, beat(900, 2), rx(910, "ACK 2 0"), { atMs: 1500, kind: "path", path: 0, conducting: false }] as TimelineEvent[];
    expect(closedNeedsFreshHeartbeat.check(input(events))).toEqual([]);
  });

  it("flags a path conducting past the deadline, and one closed without any heartbeat", () => {
    const stale = [hello(0, 0), beat(100, 1), rx(110, "ACK 1 0"), { atMs: 300, kind: "path", path: 0, conducting: true }, { atMs: 1300, kind: "path", path: 0, conducting: false }] as TimelineEvent[];
    expect(closedNeedsFreshHeartbeat.check(input(stale))).toHaveLength(1);
    const none = [hello(0, 0), { atMs: 300, kind: "path", path: 1, conducting: true }] as TimelineEvent[];
    expect(closedNeedsFreshHeartbeat.check(input(none))).toHaveLength(1);
  });
});

describe("startup-test-before-close", () => {
  const coil = (atMs: number, relay: number, energised: boolean): TimelineEvent => ({ atMs, kind: "coil", relay, energised });

  it("accepts each relay alone, then both", () => {
    const events = [coil(0, 0, true), coil(30, 0, false), coil(60, 1, true), coil(90, 1, false), coil(120, 0, true), coil(120, 1, true)];
    expect(startupTestBeforeClose.check(input(events))).toEqual([]);
  });

  it("flags both relays energised without the test, and a re-close that skips it", () => {
    expect(startupTestBeforeClose.check(input([coil(0, 2, true), coil(0, 3, true)]))).toHaveLength(1);
    const reclose = [coil(0, 0, true), coil(30, 0, false), coil(60, 1, true), coil(90, 1, false), coil(120, 0, true), coil(120, 1, true), coil(500, 0, false), coil(500, 1, false), coil(600, 0, true), coil(600, 1, true)];
    expect(startupTestBeforeClose.check(input(reclose))).toHaveLength(1);
  });
});

describe("firmware health and replies", () => {
  it("flags uncaught errors, contained exceptions and unprovoked watchdog resets, not an injected hang's", () => {
    const events = [{ atMs: 1, kind: "firmware", problem: "uncaught", text: "Uncaught Error" }, rx(2, "LEVEL 3 exception"), { atMs: 3, kind: "boot", cause: "watchdog" }] as TimelineEvent[];
    expect(firmwareHealthy.check(input(events))).toHaveLength(2);
    expect(noUnprovokedReset.check(input(events))).toHaveLength(1);
    const hang = [{ atMs: 0, kind: "fault", description: '{"kind":"firmware-hang"}' }, { atMs: 1000, kind: "boot", cause: "watchdog" }] as TimelineEvent[];
    expect(noUnprovokedReset.check(input(hang))).toEqual([]);
  });

  it("flags more than 16 ERR replies on a link within one second", () => {
    const many = Array.from({ length: 17 }, (_, index) => rx(index * 10, "ERR SYNTAX"));
    expect(errorRepliesBounded.check(input(many))).toHaveLength(1);
    expect(errorRepliesBounded.check(input(many.slice(1)))).toEqual([]);
  });
});
