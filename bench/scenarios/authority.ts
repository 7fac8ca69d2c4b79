/**
 * Asymmetric authority (DESIGN 3, protocol section 5): the host and a single operator may
 * raise up to offline but never lower; lowering takes k distinct operators' signatures over a
 * fresh single-use challenge; expired, replaced, consumed and stale challenges are refused.
 */
import { LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED, LEVEL_STANDARD } from "../../protocol/constants.ts";
import { conducting } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Sends a heartbeat asking for `level` and waits for its ACK; returns the level it reports. */
async function hostAsks(context: ScenarioContext, level: number): Promise<number | undefined> {
  const { session } = context;
  const seq = session.seq + 1;
  // Its own ACK: one of a heartbeat sent before may still be on its way.
  const reply = await session.request("host", session.heartbeatText({ level }) + "\n", (frame) => (frame.type === "ACK" && frame.seq === seq) || frame.type === "ERR", 1000);
  session.seq++;
  return reply?.frame.type === "ACK" ? reply.frame.level : undefined;
}

const hostCannotLower: Scenario = {
  id: "host-cannot-lower",
  title: "heartbeats asking for a lower level never lower it; the host can raise to offline, no further",
  requirements: ["SR-3"],
  async run(context) {
    const { session } = context;
    await session.bringUp();
    session.stopHeartbeats();
    const steps: [number, number][] = [[LEVEL_PROBATION, 1], [LEVEL_STANDARD, 1], [LEVEL_SEVERED, 2], [LEVEL_PROBATION, 2], [LEVEL_STANDARD, 2], [5, LEVEL_OFFLINE], [LEVEL_STANDARD, LEVEL_OFFLINE]];
    for (const [asked, expected] of steps) {
      const reported = await hostAsks(context, asked);
      context.check(reported === expected, `a heartbeat asking for ${asked} should leave the level at ${expected}; ACK reported ${reported}`);
    }
  },
};

const singleOperatorCannotLower: Scenario = {
  id: "single-operator-cannot-lower",
  title: "one operator cannot lower (AUTH 1 2), cannot sign twice, cannot sign for another; can raise alone",
  requirements: ["SR-3"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const challenge = await session.challenge(LEVEL_STANDARD);
    context.check(challenge?.frame.type === "CHAL" && challenge.frame.need === target.config.quorum, `CHAL 0 at offline must need the quorum ${target.config.quorum}; got ${JSON.stringify(challenge?.frame)}`);
    if (challenge?.frame.type !== "CHAL") return;
    const nonce = challenge.frame.nonce;
    const first = await session.auth(session.authText(nonce, 0, 0));
    context.check(first?.frame.type === "AUTH" && first.frame.have === 1, `first signature: expected AUTH 1 ${target.config.quorum}, got ${JSON.stringify(first?.frame)}`);
    const cases: [string, string][] = [
      [session.authText(nonce, 0, 0), "DUPLICATE"],
      [session.authText(nonce, 0, 1, target.config.operators[0]), "SIGNATURE"],
      [session.authText(nonce, 0, 7, target.config.operators[0]), "OPERATOR"],
      [session.authText(nonce, 0, 0).replace(nonce, "0".repeat(32)), "CHALLENGE"],
    ];
    for (const [line, code] of cases) {
      const reply = await session.auth(line);
      context.check(reply?.frame.type === "ERR" && reply.frame.code === code, `expected ERR ${code} for ${line.slice(0, 60)}..., got ${JSON.stringify(reply?.frame)}`);
    }
    await target.wait(500);
    context.check(session.level === LEVEL_OFFLINE, `one operator's signature must not lower offline; controller says ${session.level}`);
    context.check(!conducting(target, "network") && !conducting(target, "power"), "a path closed without a quorum");
    const raise = await session.quorum(LEVEL_OFFLINE, [2]);
    context.check(raise === "ERR LEVEL", `CHAL to the current level must be refused with ERR LEVEL, got ${raise}`);
  },
};

const singleOperatorRaises: Scenario = {
  id: "single-operator-raises",
  title: "a single operator raises standard to severed alone (need 1, cause operator)",
  requirements: ["SR-3"],
  async run(context) {
    const { session } = context;
    await session.bringUp();
    const refused = await session.quorum(LEVEL_SEVERED, [2]);
    context.check(refused === undefined, `a single operator's raise to severed was refused: ${refused}`);
    context.check(context.target.timeline.received("host").includes("LEVEL 2 operator"), "expected LEVEL 2 operator");
  },
};

const quorumRestore: Scenario = {
  id: "quorum-restore-2-of-3",
  title: "operators 0+2 restore offline to standard; paths stay open until a fresh heartbeat, then close after the relay test",
  requirements: ["SR-3", "SR-7", "SR-4"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const refused = await session.quorum(LEVEL_STANDARD, [0, 2]);
    context.check(refused === undefined, `quorum of operators 0 and 2 was refused: ${refused}`);
    context.check(target.timeline.received("host").includes("LEVEL 0 quorum"), "expected LEVEL 0 quorum");
    await target.wait(500);
    context.check(!conducting(target, "network") && !conducting(target, "power"), "paths closed after a restore without any heartbeat");
    session.startHeartbeats();
    context.check(await session.awaitService(), `paths did not close within ${session.serviceWithinMs()} ms of heartbeats after the restore (level ${session.level}, paths ${target.paths().join(",")})`);
  },
};

const challengeExpired: Scenario = {
  id: "challenge-expired",
  title: "signatures arriving after the challenge's ttl are refused (ERR CHALLENGE)",
  requirements: ["SR-3"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const challenge = await session.challenge(LEVEL_STANDARD);
    if (challenge?.frame.type !== "CHAL") return context.check(false, `no challenge: ${JSON.stringify(challenge?.frame)}`);
    await target.wait(challenge.frame.ttlS * 1000 + 10);
    for (const operator of [0, 1]) {
      const reply = await session.auth(session.authText(challenge.frame.nonce, 0, operator));
      context.check(reply?.frame.type === "ERR" && reply.frame.code === "CHALLENGE", `an expired challenge must be refused with ERR CHALLENGE, got ${JSON.stringify(reply?.frame)}`);
    }
    context.check(session.level === LEVEL_OFFLINE, `level must stay offline, controller says ${session.level}`);
  },
};

const challengeReused: Scenario = {
  id: "challenge-reused",
  title: "a consumed challenge, a replaced challenge and one made stale by a level change are all refused",
  requirements: ["SR-3"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const first = await session.challenge(LEVEL_STANDARD);
    if (first?.frame.type !== "CHAL") return context.check(false, `no challenge: ${JSON.stringify(first?.frame)}`);
    const used = [0, 1].map((operator) => session.authText((first.frame as { nonce: string }).nonce, 0, operator));
    for (const line of used) await session.auth(line);
    await target.waitUntil(() => session.level === LEVEL_STANDARD, 500);
    context.check(session.level === LEVEL_STANDARD, `the first quorum should restore standard; controller says ${session.level}`);
    // No heartbeats: severed after deadlineMs[0], offline after deadlineMs[2], both from the restore.
    await target.waitUntil(() => session.level === LEVEL_SEVERED, target.config.deadlineMs[0] + 100);
    context.check(session.level === LEVEL_SEVERED, `no heartbeats after the restore: the deadline should sever; controller says ${session.level}`);
    const stale = await session.challenge(LEVEL_STANDARD);
    context.check(stale?.frame.type === "CHAL", `CHAL at severed refused: ${JSON.stringify(stale?.frame)}`);
    await target.waitUntil(() => session.level === LEVEL_OFFLINE, target.config.deadlineMs[2]);
    context.check(session.level === LEVEL_OFFLINE, `severed without heartbeats should go offline; controller says ${session.level}`);
    for (const operator of [0, 1]) {
      const reply = await session.auth(session.authText((stale?.frame as { nonce: string }).nonce, 0, operator));
      context.check(reply?.frame.type === "ERR" && reply.frame.code === "CHALLENGE", `a challenge issued before a level change must get ERR CHALLENGE, got ${JSON.stringify(reply?.frame)}`);
    }
    for (const line of used) {
      const reply = await session.auth(line);
      context.check(reply?.frame.type === "ERR" && reply.frame.code === "CHALLENGE", `a consumed challenge's signature must get ERR CHALLENGE, got ${JSON.stringify(reply?.frame)}`);
    }
    const replaced = await session.challenge(LEVEL_STANDARD);
    await session.challenge(LEVEL_STANDARD);
    const late = await session.auth(session.authText((replaced?.frame as { nonce: string }).nonce, 0, 0));
    context.check(late?.frame.type === "ERR" && late.frame.code === "CHALLENGE", `a replaced challenge must get ERR CHALLENGE, got ${JSON.stringify(late?.frame)}`);
    context.check(session.level === LEVEL_OFFLINE, `level must stay offline; controller says ${session.level}`);
  },
};

export const AUTHORITY: Scenario[] = [hostCannotLower, singleOperatorCannotLower, singleOperatorRaises, quorumRestore, challengeExpired, challengeReused];
