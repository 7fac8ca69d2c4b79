/** docs/protocol.md section 6 (every boot is a doubt, write ahead) on the real firmware. */
import { afterEach, describe, expect, it } from "vitest";
import { rigConfig } from "../../simulator/testing/firmware-rig.ts";
import { ConformancePeer } from "./peer.ts";

let peer: ConformancePeer | undefined;
afterEach(() => peer?.rig.sim.board.powerOff());

/** Power off, wait, power on; returns the boot HELLO's level. */
function powerCycle(p: ConformancePeer): number {
  p.rig.sim.board.powerOff();
  p.rig.advance(100);
  p.rig.sim.board.powerOn();
  p.rig.advance(50);
  return Number(p.rig.last("host", "HELLO ").split(" ")[5]);
}

describe("6. Every boot is a doubt", () => {
  it("a power cycle at standard boots offline, cause boot, latched in the new boot", async () => {
    peer = await ConformancePeer.boot();
    peer.restoreAndRun();
    expect(powerCycle(peer)).toBe(3);
    expect(peer.status()).toMatchObject({ level: "3", cause: "boot", boot: "1", causeboot: "1" });
  });

  it("a provisioned bootLevel of severed boots severed", async () => {
    peer = await ConformancePeer.boot({ config: rigConfig({ bootLevel: 2 }) });
    peer.restoreAndRun();
    expect(powerCycle(peer)).toBe(2);
  });

  it("a configuration with bootLevel below severed is refused: offline, cause config", async () => {
    peer = await ConformancePeer.boot({ config: { ...rigConfig(), bootLevel: 1 } });
    expect(peer.status()).toMatchObject({ level: "3", cause: "config" });
  });

  it("a cause latched before the boot is kept beside it", async () => {
    peer = await ConformancePeer.boot();
    peer.restoreAndRun();
    peer.rig.sim.board.press("tamper", true);
    peer.rig.advance(50);
    peer.rig.sim.board.press("tamper", false);
    powerCycle(peer);
    powerCycle(peer);
    expect(peer.status()).toMatchObject({ level: "3", cause: "tamper", boot: "2", causeboot: "0" });
  });

  it("an error flag trips errorflag and is written before the watchdog resets the board", async () => {
    peer = await ConformancePeer.boot();
    peer.restoreAndRun();
    // A leak of every free block: the firmware's own footprint must not decide the outcome.
    peer.rig.sim.board.inject({ kind: "memory-pressure", blocks: peer.rig.sim.board.snapshot().memory.free });
    peer.rig.advance(200);
    peer.rig.sim.board.inject({ kind: "memory-pressure", blocks: 0 });
    peer.rig.advance(500);
    expect(peer.rig.sim.board.snapshot().resets.map((reset) => reset.cause)).toContain("watchdog");
    expect(peer.status()).toMatchObject({ level: "3", cause: "errorflag" });
  });
});
