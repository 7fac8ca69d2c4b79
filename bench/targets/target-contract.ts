/**
 * The Target contract as a test suite: what every implementation of bench/targets/target.ts
 * must do, so that one set of scenarios means the same on each. The simulated board, the
 * serial target on the simulated bench pair and the serial target on a real bench all run it
 * (target.contract.test.ts). What a target lacks it must refuse with UnsupportedError; what it
 * claims it must do.
 */
import { describe, expect, it } from "vitest";
import { LEVEL_OFFLINE } from "../../protocol/constants.ts";
import { Session } from "../harness/session.ts";
import { UnsupportedError, type Target } from "./target.ts";

/** Long enough for any reply on a real link, short enough to keep the suite quick. */
const REPLY_MS = 1000;

async function withTarget(open: () => Promise<Target>, body: (target: Target) => Promise<void>): Promise<void> {
  const target = await open();
  try {
    await body(target);
  } finally {
    await target.close();
  }
}

/** Registers the contract's tests for the targets `open` returns (a fresh one per test). */
export function describeTargetContract(name: string, open: () => Promise<Target>): void {
  describe(`Target contract: ${name}`, () => {
    it("keeps time: nowMs never goes back, wait(ms) lets ms pass, every() repeats until stopped", () =>
      withTarget(open, async (target) => {
        const startMs = target.nowMs();
        await target.wait(50);
        expect(target.nowMs() - startMs).toBeGreaterThanOrEqual(50 - 1e-6);
        const ticks: number[] = [];
        const stop = target.every(20, () => ticks.push(target.nowMs()));
        await target.wait(110);
        stop();
        const counted = ticks.length;
        await target.wait(60);
        expect(counted).toBeGreaterThanOrEqual(3);
        expect(ticks.length).toBe(counted);
        for (let i = 1; i < ticks.length; i++) expect(ticks[i]).toBeGreaterThanOrEqual(ticks[i - 1]);
      }));

    it("waitUntil is true as soon as its predicate holds and false only once maxMs passed", () =>
      withTarget(open, async (target) => {
        const startMs = target.nowMs();
        expect(await target.waitUntil(() => false, 80)).toBe(false);
        expect(target.nowMs() - startMs).toBeGreaterThanOrEqual(80 - 1e-6);
        const dueMs = target.nowMs() + 30;
        expect(await target.waitUntil(() => target.nowMs() >= dueMs, 1000)).toBe(true);
        expect(target.nowMs() - dueMs).toBeLessThan(500);
      }));

    it("a SYNC on each link gets a HELLO on that link, recorded in the timeline after the SYNC", () =>
      withTarget(open, async (target) => {
        const lines: { link: string; text: string; atMs: number }[] = [];
        target.onLine((link, text, atMs) => lines.push({ link, text, atMs }));
        for (const link of ["host", "ops"] as const) {
          const sent = target.send(link, "SYNC\n");
          // The boot's own HELLO may still be on its way (a board takes time to start): the answer is the one after the SYNC.
          const answer = (l: { link: string; text: string; atMs: number }) => l.link === link && l.text.startsWith("HELLO ") && l.atMs >= sent.atMs;
          expect(await target.waitUntil(() => lines.some(answer), REPLY_MS)).toBe(true);
          const hello = lines.find(answer)!;
          expect(hello.atMs).toBeGreaterThanOrEqual(sent.atMs);
          expect(target.timeline.first("tx", sent.atMs, (e) => e.link === link && e.text === "SYNC\n")).toBeDefined();
          expect(target.timeline.received(link, sent.atMs).some((text) => text.startsWith("HELLO "))).toBe(true);
        }
      }));

    it("starts each test as a freshly provisioned controller does: at offline or above, every path open", () =>
      withTarget(open, async (target) => {
        const session = new Session(target);
        expect(await session.sync()).toBeDefined();
        expect(session.level).toBeGreaterThanOrEqual(LEVEL_OFFLINE);
        expect(target.paths()).toEqual(target.pathKinds.map(() => false));
        expect(target.config.id).toMatch(/\S/);
        expect(target.watchdogMs).toBeGreaterThan(0);
      }));

    it("a quorum restore and heartbeats close the network and power paths, in paths() and in the timeline; with coils, each relay energised alone first", () =>
      withTarget(open, async (target) => {
        const session = new Session(target);
        const startMs = target.nowMs();
        await session.bringUp();
        const closed = target.pathKinds.flatMap((kind, path) => (kind === "network" || kind === "power" ? [path] : []));
        for (const path of closed) {
          expect(target.paths()[path]).toBe(true);
          const closedAt = target.timeline.first("path", startMs, (e) => e.path === path && e.conducting)!.atMs;
          expect(closedAt).toBeDefined();
          if (!target.capabilities.has("coils")) continue;
          // The start-up relay test as the coils show it: relay 2p on alone, then 2p+1 alone, then
          // both (at one instant, so in either order).
          const coils = target.timeline.of("coil").filter((e) => e.atMs >= startMs && e.atMs <= closedAt && e.relay >> 1 === path).map((e) => `${e.relay}${e.energised ? "+" : "-"}`);
          expect(coils.slice(0, 4)).toEqual([`${2 * path}+`, `${2 * path}-`, `${2 * path + 1}+`, `${2 * path + 1}-`]);
          expect(coils.slice(4).sort()).toEqual([`${2 * path}+`, `${2 * path + 1}+`]);
        }
        if (!target.capabilities.has("coils")) expect(target.timeline.of("coil")).toEqual([]);
        session.stopHeartbeats();
      }));

    it("refuses each capability it lacks with UnsupportedError and trips on the inputs it claims", () =>
      withTarget(open, async (target) => {
        const has = (capability: Parameters<typeof target.capabilities.has>[0]) => target.capabilities.has(capability);
        if (!has("faults")) await expect(target.inject({ kind: "firmware-hang" })).rejects.toThrow(UnsupportedError);
        if (!has("relay-faults")) await expect(target.inject({ kind: "coil-open", relay: 3 })).rejects.toThrow(UnsupportedError);
        if (!has("internals")) expect(() => target.snapshot()).toThrow(UnsupportedError);
        if (!has("burst")) expect(() => target.burst("host", "SYNC\n")).toThrow(UnsupportedError);
        if (!has("arm")) await expect(target.press("arm", true)).rejects.toThrow(UnsupportedError);
        if (!has("estop")) return;
        const session = new Session(target);
        await session.bringUp();
        await target.press("estop", true);
        expect(await target.waitUntil(() => session.level === LEVEL_OFFLINE, REPLY_MS)).toBe(true);
        expect(await target.waitUntil(() => !target.paths().some(Boolean), REPLY_MS)).toBe(true);
        expect(target.timeline.of("input").at(-1)).toMatchObject({ input: "estop", active: true });
        session.stopHeartbeats();
        await target.press("estop", false);
      }));

    it("a relay fault it claims takes effect: K4's coil open, power0 never closes and the controller trips on relay", () =>
      withTarget(open, async (target) => {
        if (!target.capabilities.has("relay-faults")) return;
        const relay = 2 * target.pathKinds.indexOf("power") + 1;
        const session = new Session(target);
        await session.bringUp();
        const sinceMs = target.nowMs();
        await target.inject({ kind: "coil-open", relay });
        expect(await target.waitUntil(() => target.timeline.received("host", sinceMs).includes("LEVEL 3 relay"), REPLY_MS)).toBe(true);
        expect(await target.waitUntil(() => !target.paths()[relay >> 1], REPLY_MS)).toBe(true);
        expect(target.timeline.of("fault").at(-1)?.description).toContain("coil-open");
        if (target.capabilities.has("coils")) {
          // Off by the trip at the latest: the coil view shows the drive on a bench (a tap across
          // the coil, so only the trip stops it), the current on the simulated board (at once).
          expect(await target.waitUntil(() => target.timeline.first("coil", sinceMs, (e) => e.relay === relay && !e.energised) !== undefined, REPLY_MS)).toBe(true);
        }
        session.stopHeartbeats();
        await target.inject({ kind: "coil-open", relay, active: false });
      }));

    it("switching the supply off opens every path and on again boots the controller (HELLO)", () =>
      withTarget(open, async (target) => {
        if (!target.capabilities.has("power")) return expect(target.power(false)).rejects.toThrow(UnsupportedError);
        const session = new Session(target);
        await session.bringUp();
        session.stopHeartbeats();
        await target.power(false);
        expect(await target.waitUntil(() => !target.paths().some(Boolean), REPLY_MS)).toBe(true);
        const onMs = target.nowMs();
        await target.power(true);
        const booted = await target.waitUntil(() => target.timeline.first("rx", onMs, (e) => e.link === "host" && e.text.startsWith("HELLO ")) !== undefined, 2000);
        expect(booted).toBe(true);
        expect(target.timeline.of("power").map((e) => e.on).slice(-2)).toEqual([false, true]);
      }));
  });
}
