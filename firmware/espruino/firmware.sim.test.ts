/**
 * The built firmware bundle on the simulated board, in virtual time: the Espruino board layer,
 * the entry point and the core together, against Espruino's semantics as the simulator
 * models them.
 */
import { describe, expect, it } from "vitest";
import { listProfiles } from "../../hardware/profile.ts";
import { FirmwareRig, rigConfig, TRIP_WITHIN_MS } from "../../simulator/testing/firmware-rig.ts";

/** A rig restored to standard with heartbeats flowing and every path closed. */
async function runningRig(seed = 1): Promise<FirmwareRig> {
  const rig = await FirmwareRig.start({ seed });
  rig.quorum(0);
  rig.heartbeats(600);
  expect(rig.conducting("network")).toEqual([true]);
  expect(rig.conducting("power")).toEqual([true]);
  return rig;
}

describe("firmware on the simulated board", () => {
  it.each(listProfiles())("%s boots offline, says HELLO, hides the REPL and arms a manual watchdog", async (boardId) => {
    // Deadlines of at least 1 s suit every board, the ESP32's whole-second watchdog included.
    const rig = await FirmwareRig.start({ boardId, config: rigConfig({ deadlineMs: [1000, 1000, 3000] }) });
    const snapshot = rig.sim.board.snapshot();
    expect(rig.last("host")).toMatch(/^HELLO 2 sim-1 [0-9a-z.-]+ [0-9a-f]{32} 3 0 npdi$/);
    expect(rig.last("ops", "HELLO")).toBe(rig.last("host"));
    expect(snapshot.console.device).toBe("LoopbackA");
    expect(snapshot.watchdog).toMatchObject({ enabled: true, auto: false });
    expect(snapshot.paths.every((path) => !path.conducting)).toBe(true);
    expect(snapshot.unimplementedCalls).toEqual([]);
    expect(snapshot.uncaughtErrors).toBe(0);
  });

  it("on the ESP32, whose watchdog rounds to 1 s, a 500 ms deadline is refused as a configuration fault", async () => {
    const rig = await FirmwareRig.start({ boardId: "ESP32" });
    expect(rig.sim.board.snapshot().watchdog.timeoutMs).toBe(1000);
    rig.sendOps("STATUS\n");
    expect(rig.reply("ops", "STATUS")).toMatch(/^STATUS 3 config /);
  });

  it("an unprovisioned board stays offline with cause config", async () => {
    const rig = await FirmwareRig.start({ config: null });
    rig.sendOps("STATUS\n");
    expect(rig.reply("ops", "STATUS")).toMatch(/^STATUS 3 config OOOO /);
  });

  it("heartbeats keep the paths closed; when they stop, the network opens at the deadline, never before", async () => {
    const rig = await runningRig();
    const frame = rig.heartbeat();
    const sentAtMs = rig.nowMs;
    rig.sendHost(frame);
    rig.events = [];
    rig.advance(4000);
    // The heartbeat counts from when the board handled it: after its last byte arrived (paced
    // at 115200 baud, 10 bits a byte), once the interpreter was free. The deadlines count from
    // then: 1000 ms to severed, 3000 ms to offline; the trip takes the CPU time to reach the coils.
    const arrivedAtMs = sentAtMs + (frame.length * 10 * 1000) / 115200;
    const acceptedAtMs = rig.boardToClockMs(rig.firmware("firmware.controller.lastHeartbeatMs") as number);
    expect(acceptedAtMs).toBeGreaterThanOrEqual(arrivedAtMs);
    expect(acceptedAtMs - arrivedAtMs).toBeLessThan(100);
    const coilOff = (relays: number[]) => rig.events.find((e) => e.type === "coil" && relays.includes(e.relay) && !e.energised)!.atMs;
    expect(coilOff([0, 1]) - acceptedAtMs).toBeGreaterThanOrEqual(1000);
    expect(coilOff([0, 1]) - acceptedAtMs).toBeLessThan(1000 + TRIP_WITHIN_MS);
    expect(coilOff([2, 3]) - acceptedAtMs).toBeGreaterThanOrEqual(3000);
    expect(coilOff([2, 3]) - acceptedAtMs).toBeLessThan(3000 + TRIP_WITHIN_MS);
    expect(rig.lines("host")).toContain("LEVEL 2 deadline");
    expect(rig.lines("host")).toContain("LEVEL 3 deadline");
  });

  it("a power cycle boots at least offline (every boot is a doubt) and starts a new session", async () => {
    const rig = await runningRig();
    rig.sendHost(rig.heartbeat(1));
    rig.reply("host", `ACK ${rig.seq} `);
    const nonce = rig.sessionNonce();
    rig.sim.board.powerOff();
    rig.advance(100);
    rig.sim.board.powerOn();
    rig.booted();
    expect(rig.last("host")).toMatch(/^HELLO 2 sim-1 \S+ [0-9a-f]{32} 3 0 npdi$/);
    expect(rig.sessionNonce()).not.toBe(nonce);
    expect(rig.sim.board.snapshot().paths.every((path) => !path.conducting)).toBe(true);
  });

  it("the host link is not a console: REPL input is answered with errors and evaluated never", async () => {
    const rig = await runningRig();
    const pinsBefore = JSON.stringify(rig.sim.board.snapshot().pins);
    for (const attack of ["\x03", "reset()\n", "digitalWrite(B2,1)\n", "E.setConsole(\"Serial2\")\n", "\x10save()\n", "\x10load()\n"]) {
      rig.sendHost(attack);
      rig.heartbeats(100);
    }
    const snapshot = rig.sim.board.snapshot();
    expect(snapshot.console.device).toBe("LoopbackA");
    expect(snapshot.bootCount).toBe(1);
    expect(rig.lines("host").filter((line) => line.startsWith("ERR"))).toEqual(expect.arrayContaining(["ERR CHARSET", "ERR UNKNOWN"]));
    expect(JSON.stringify(snapshot.pins)).toBe(pinsBefore);
  });

  it("operators restore with a quorum; a single signature or a replayed challenge does not", async () => {
    const rig = await FirmwareRig.start();
    const nonce = rig.challenge(0);
    rig.sendOps(rig.auth(nonce, 0, 2));
    expect(rig.reply("ops")).toBe("AUTH 1 2");
    expect(rig.level()).toBe(3);
    rig.sendOps(rig.auth(nonce, 0, 1));
    expect(rig.reply("ops")).toBe("AUTH 2 2");
    expect(rig.level()).toBe(0);
    rig.sendHost(rig.heartbeat(3));
    rig.reply("host", "LEVEL 3 host");
    rig.sendOps(rig.auth(nonce, 0, 0));
    expect(rig.reply("ops", "ERR ")).toBe("ERR CHALLENGE");
    expect(rig.level()).toBe(3);
  });
});

describe("injected faults are detected and raise the level by policy", () => {
  const cases: { name: string; inject: (rig: FirmwareRig) => void; level: number; cause: string }[] = [
    { name: "relay welded", inject: (rig) => { rig.sendHost(rig.heartbeat(2)); rig.sim.board.inject({ kind: "relay-welded", relay: 0 }); }, level: 3, cause: "relay" },
    { name: "coil open", inject: (rig) => rig.sim.board.inject({ kind: "coil-open", relay: 2 }), level: 3, cause: "relay" },
    { name: "feedback stuck", inject: (rig) => rig.sim.board.inject({ kind: "feedback-stuck", relay: 1, level: 1 }), level: 3, cause: "relay" },
    { name: "e-stop", inject: (rig) => rig.sim.board.press("estop", true), level: 3, cause: "estop" },
    { name: "tamper", inject: (rig) => rig.sim.board.press("tamper", true), level: 3, cause: "tamper" },
    { name: "low memory flag", inject: (rig) => rig.sim.board.inject({ kind: "error-flag", flag: "LOW_MEMORY" }), level: 3, cause: "errorflag" },
    { name: "host link unplugged", inject: (rig) => rig.sim.board.inject({ kind: "link-unplugged", device: rig.profile.links.host.device }), level: 2, cause: "deadline" },
    { name: "serial noise flood", inject: (rig) => { for (let i = 0; i < 12; i++) rig.sendHost("\u0007garbage\n"); }, level: 2, cause: "flood" },
  ];

  it.each(cases)("$name", async ({ inject, level, cause }) => {
    const rig = await runningRig();
    inject(rig);
    const stillBeating = cause !== "deadline";
    for (let t = 0; t < 1500; t += 100) {
      if (stillBeating) rig.sendHost(rig.heartbeat(0));
      rig.advance(100);
    }
    expect(rig.lines("ops")).toContain(`LEVEL ${level} ${cause}`);
    expect(rig.conducting("network")).toEqual([false]);
    if (level >= 3) expect(rig.conducting("power")).toEqual([false]);
    expect(rig.sim.board.snapshot().unimplementedCalls).toEqual([]);
  });

  it("a firmware hang starves the watchdog; the board resets at least offline with paths open", async () => {
    const rig = await runningRig();
    rig.sendHost(rig.heartbeat(1));
    rig.advance(50);
    rig.sim.board.inject({ kind: "firmware-hang" });
    rig.advance(2000);
    const snapshot = rig.sim.board.snapshot();
    expect(snapshot.resets.map((reset) => reset.cause)).toContain("watchdog");
    expect(rig.last("host", "HELLO")).toMatch(/ 3 0 npdi$/);
    expect(snapshot.paths.every((path) => !path.conducting)).toBe(true);
  });

  it("a torn state write (power lost mid-write) boots at least offline", async () => {
    const rig = await runningRig();
    rig.sim.board.inject({ kind: "power-loss-during-write", afterBytes: 20 });
    rig.sendHost(rig.heartbeat(1));
    rig.advance(100);
    rig.sim.board.powerOn();
    rig.booted();
    expect(rig.last("host", "HELLO")).toMatch(/ 3 0 npdi$/);
    rig.sendOps("STATUS\n");
    expect(rig.reply("ops", "STATUS")).toMatch(/^STATUS 3 state /);
  });

  it("a corrupt configuration boots offline with cause config", async () => {
    const rig = await runningRig();
    rig.sim.board.inject({ kind: "flash-corruption", file: "gcfg", bytes: 4 });
    rig.sim.board.reset();
    rig.booted();
    rig.sendOps("STATUS\n");
    expect(rig.reply("ops", "STATUS")).toMatch(/^STATUS 3 config /);
  });

  it("probation's tighter deadline holds on the board too", async () => {
    const rig = await FirmwareRig.start({ config: rigConfig() });
    rig.quorum(0);
    rig.heartbeats(300, 100, 1);
    rig.events = [];
    rig.advance(1000);
    expect(rig.lines("ops")).toContain("LEVEL 2 deadline");
  });
});
