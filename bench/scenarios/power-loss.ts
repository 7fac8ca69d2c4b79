/**
 * Power loss (DESIGN 1 and 2): every path opens with the supply; the controller boots into its
 * persisted level, never lower than the last level it announced; a state write torn by the
 * cut leaves a damaged slot, and a damaged slot boots at least offline (cause state).
 */
import { LEVEL_OFFLINE, LEVEL_STANDARD } from "../../protocol/constants.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

const OFF_MS = 200;

/** Powers the controller back on and waits for its boot HELLO; returns the level it boots at. */
async function powerBackOn(context: ScenarioContext): Promise<number | undefined> {
  const { target } = context;
  const onMs = target.nowMs();
  await target.power(true);
  const found = await target.waitUntil(() => target.timeline.first("rx", onMs, (e) => e.link === "host" && e.text.startsWith("HELLO ")) !== undefined, 2000);
  if (!found) return undefined;
  return Number(target.timeline.first("rx", onMs, (e) => e.link === "host" && e.text.startsWith("HELLO "))!.text.split(" ")[5]);
}

/** The highest level the controller announced before `atMs` (LEVEL, HELLO or ACK on the host link). */
function announcedBefore(context: ScenarioContext, atMs: number): number {
  let level = -1;
  for (const event of context.target.timeline.of("rx")) {
    if (event.atMs > atMs || event.link !== "host") continue;
    const f = event.text.split(" ");
    if (f[0] === "LEVEL") level = Number(f[1]);
    if (f[0] === "HELLO") level = Number(f[5]);
    if (f[0] === "ACK") level = Number(f[2]);
  }
  return level;
}

const randomInstants: Scenario = {
  id: "power-loss-random-instants",
  title: "8 power cuts at seeded random instants, some amid a trip: reboot level never below the last announced",
  requirements: ["SR-1", "SR-2"],
  needs: ["power"],
  async run(context) {
    const { session, target, rng } = context;
    for (let trial = 0; trial < 8; trial++) {
      await session.bringUp();
      const cutAfterMs = rng.int(1500);
      const tripAtMs = rng.chance(0.6) ? rng.int(cutAfterMs + 1) : undefined;
      if (tripAtMs !== undefined) {
        await target.wait(tripAtMs);
        target.send("host", session.heartbeatText({ keyHex: "00".repeat(32) }) + "\n");
      }
      await target.wait(cutAfterMs - (tripAtMs ?? 0));
      await target.power(false);
      const cutMs = target.nowMs();
      session.stopHeartbeats();
      await target.wait(OFF_MS);
      const before = announcedBefore(context, cutMs);
      const booted = await powerBackOn(context);
      context.note(`trial ${trial}: cut ${cutAfterMs} ms after bring-up${tripAtMs === undefined ? "" : `, forged MAC at ${tripAtMs} ms`}; announced ${before}, booted ${booted}`);
      context.check(booted !== undefined && booted >= before, `trial ${trial}: rebooted at level ${booted}, below the ${before} announced before the cut`);
      if (booted !== LEVEL_STANDARD) session.nonce = undefined;
    }
  },
};

/**
 * A cut in the middle of a state write that `provoke` causes (it arms the fault with `arm` just
 * before the write it means); the boot after must be at least offline.
 */
function tornWrite(id: string, title: string, provoke: (context: ScenarioContext, arm: () => void) => Promise<void>): Scenario {
  return {
    id, title, requirements: ["SR-2"], needs: ["faults", "power"],
    async run(context) {
      const { session, target, rng } = context;
      for (const afterBytes of [0, 1, 40, undefined]) {
        await session.bringUp();
        await provoke(context, () => target.inject({ kind: "power-loss-during-write", afterBytes: afterBytes ?? 2 + rng.int(300) }));
        await target.waitUntil(() => !target.paths().some(Boolean) && target.timeline.of("power").at(-1)?.on === false, 2000);
        context.check(target.timeline.of("power").at(-1)?.on === false, `the armed torn write never happened (afterBytes ${afterBytes})`);
        session.stopHeartbeats();
        await target.wait(OFF_MS);
        const booted = await powerBackOn(context);
        context.check(booted !== undefined && booted >= LEVEL_OFFLINE, `a torn state write (cut after ${afterBytes ?? "random"} bytes) must boot at least offline; booted ${booted}`);
        const status = await session.request("ops", "STATUS\n", (frame) => frame.type === "STATUS");
        context.check(status?.frame.type === "STATUS" && status.frame.cause === "state", `STATUS cause should be state after a damaged slot, got ${JSON.stringify(status?.frame)}`);
        session.nonce = undefined;
        await session.sync();
      }
    },
  };
}

export const POWER_LOSS: Scenario[] = [
  randomInstants,
  tornWrite("torn-write-on-trip", "power cut mid-write of a trip (wrong MAC), at 0, 1, 40 and a random byte: boots >= offline", async ({ session, target }, arm) => {
    arm();
    target.send("host", session.heartbeatText({ keyHex: "00".repeat(32) }) + "\n");
  }),
  tornWrite("torn-write-on-restore", "power cut mid-write of a quorum restore: boots >= offline, never at the half-written standard", async ({ session, target }, arm) => {
    session.stopHeartbeats();
    session.heartbeat({ level: LEVEL_OFFLINE });
    await target.waitUntil(() => session.level === LEVEL_OFFLINE, 500);
    const challenge = await session.challenge(LEVEL_STANDARD);
    if (challenge?.frame.type !== "CHAL") throw new Error(`no challenge for the restore: ${JSON.stringify(challenge?.frame)}`);
    await session.auth(session.authText(challenge.frame.nonce, LEVEL_STANDARD, 0));
    arm();
    target.send("ops", session.authText(challenge.frame.nonce, LEVEL_STANDARD, 1) + "\n");
  }),
];
