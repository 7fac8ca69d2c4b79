/**
 * Garbage and floods on each link (protocol sections 2 and 7): whatever arrives, the
 * controller resynchronises at the next LF, bounds its ERR replies, raises at most to the
 * flood policy's level, and keeps answering valid frames.
 */
import { LEVEL_STANDARD } from "../../protocol/constants.ts";
import type { LinkName } from "../harness/timeline.ts";
import { errors } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

const GARBAGE_BYTES = 4000;
const FLOOD_FRAMES = 1000;
/** 2000 HELLOs of ~60 bytes at 86.8 us a byte: about 10.4 s of replies to drain. */
const SYNC_FLOOD_DRAIN_MS = 12_000;

function randomBytes(context: ScenarioContext, count: number): string {
  let data = "";
  for (let index = 0; index < count; index++) data += String.fromCharCode(context.rng.int(256));
  return data;
}

/** After abuse on `link`: the level is at most the flood policy's, and SYNC still gets HELLO. */
async function expectStillServing(context: ScenarioContext, link: LinkName, levelBefore: number): Promise<void> {
  const { session, target } = context;
  const floodLevel = Math.max(levelBefore, target.config.policy.flood);
  context.check(session.level <= floodLevel, `abuse on the ${link} link may raise the level to the flood policy's ${floodLevel} at most; controller says ${session.level}`);
  const hello = await session.request(link, "\nSYNC\n", (frame) => frame.type === "HELLO", 2000);
  context.check(hello !== undefined, `after the abuse, SYNC on the ${link} link got no HELLO (received ${JSON.stringify(target.timeline.received(link).slice(-3))})`);
}

function garbage(link: LinkName): Scenario {
  return {
    id: `garbage-${link}`,
    title: `${GARBAGE_BYTES} random bytes on the ${link} link: resync at LF, level at most flood policy`,
    requirements: ["SR-9"],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      session.stopHeartbeats();
      const levelBefore = session.level;
      target.send(link, randomBytes(context, GARBAGE_BYTES));
      await target.wait(GARBAGE_BYTES * 0.0868 + 100);
      await expectStillServing(context, link, levelBefore);
    },
  };
}

/** Frames that are well-formed but refused on `link` (ERR LINK / ERR SYNTAX), back to back. */
function flood(link: LinkName): Scenario {
  const frame = link === "host" ? "STATUS\n" : "CHAL 9\n";
  return {
    id: `flood-${link}`,
    title: `${FLOOD_FRAMES} refused frames back to back on the ${link} link: flood trip, bounded ERR, still serving`,
    requirements: ["SR-9"],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      const sinceMs = target.nowMs();
      target.send(link, frame.repeat(FLOOD_FRAMES));
      await target.wait(frame.length * FLOOD_FRAMES * 0.0868 + 100);
      context.check(session.level === Math.max(LEVEL_STANDARD, target.config.policy.flood), `a flood must raise to the flood policy's level ${target.config.policy.flood}; controller says ${session.level}`);
      const replies = errors(target, link, sinceMs).length;
      context.check(replies >= 1 && replies <= 16, `expected between 1 and 16 ERR replies to ${FLOOD_FRAMES} refused frames, got ${replies}`);
      await expectStillServing(context, link, LEVEL_STANDARD);
      const ack = await session.request("host", session.heartbeatText() + "\n", (f) => f.type === "ACK", 1000);
      context.check(ack !== undefined, "after the flood a valid heartbeat got no ACK");
    },
  };
}

/**
 * SYNC is never refused, so a SYNC flood is no flood: the controller answers (as its bounded
 * outbox allows) and valid heartbeats in between keep the paths closed. The burst variant puts
 * 50 SYNCs into the receive buffer at once, as a busy interpreter would find them.
 */
function syncFlood(burst: boolean): Scenario {
  return {
    id: burst ? "sync-burst-host" : "sync-flood-host",
    title: burst ? "50 SYNC in one receive chunk: no internal error, service continues" : "SYNC at line rate for 1 s with heartbeats in between: no false trip",
    requirements: ["SR-9", "SR-11"],
    needs: burst ? ["burst"] : [],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      const sinceMs = target.nowMs();
      for (let round = 0; round < 10; round++) {
        if (burst) target.burst("host", "SYNC\n".repeat(50));
        else target.send("host", "SYNC\n".repeat(200));
        await target.wait(100);
      }
      // Each SYNC costs a 60-byte HELLO: the replies queue for seconds on the host link, and the
      // ACKs with them. Wait for them, so the checkers can confirm each accepted heartbeat.
      await target.wait(burst ? 1000 : SYNC_FLOOD_DRAIN_MS);
      if (!burst) context.note("SYNC replies are not rate-limited (protocol section 7 limits only ERR): 2000 SYNCs queue about 10 s of HELLOs on the host link");
      context.check(session.level === LEVEL_STANDARD, `SYNC is a valid frame: the level must stay standard, controller says ${session.level}`);
      const opened = target.timeline.first("path", sinceMs, (event) => !event.conducting);
      context.check(opened === undefined, `valid heartbeats flowed throughout, yet path ${opened?.path} opened at ${opened?.atMs.toFixed(3)} ms`);
      const boots = target.timeline.of("boot").filter((event) => event.atMs >= sinceMs);
      context.check(boots.length === 0, `the controller rebooted (${boots.map((b) => `${b.cause} at ${b.atMs.toFixed(3)} ms`).join(", ")}) under a flood of valid frames`);
    },
  };
}

export const LINK_ABUSE: Scenario[] = [garbage("host"), garbage("ops"), flood("host"), flood("ops"), syncFlood(false), syncFlood(true)];
