/**
 * Garbage and floods on each link (protocol sections 2 and 7): whatever arrives, the
 * controller resynchronises at the next LF, bounds its ERR replies, raises at most to the
 * flood policy's level, and keeps answering valid frames.
 *
 * Each is judged once the controller has read everything sent, not after a fixed wait: a SYNC
 * sent behind the abuse is answered only after every byte ahead of it (a line delivers in
 * order, replies come in the order of the requests, SYNC is never refused), and its HELLO
 * carries the level the controller was at then. What is counted (ERR replies, trips) is what
 * the controller did with those bytes, the same on virtual time, on the simulated pair under
 * load and on a real board.
 */
import { LEVEL_STANDARD } from "../../protocol/constants.ts";
import type { Reply } from "../harness/session.ts";
import type { LinkName } from "../harness/timeline.ts";
import { byteTimeMs, BAUD_DEFAULT } from "../../simulator/world/serial-line.ts";
import { ERR_REPLIES_PER_SLIDING_SECOND_MAX } from "../checkers/error-replies-bounded.ts";
import { errors } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

const GARBAGE_BYTES = 4000;
const FLOOD_FRAMES = 1000;
/** 2000 HELLOs of ~75 bytes at 86.8 us a byte, were none dropped: about 13 s of replies to drain. */
const SYNC_FLOOD_DRAIN_MS = 14_000;
/** On top of twice the wire time of what is ahead: replies, a control cycle, a loaded machine. */
const READ_MARGIN_MS = 2000;

function randomBytes(context: ScenarioContext, count: number): string {
  let data = "";
  for (let index = 0; index < count; index++) data += String.fromCharCode(context.rng.int(256));
  return data;
}

/**
 * Sends SYNC on `link` behind `bytesAhead` bytes already sent there and waits for its HELLO:
 * once it is there, the controller has read all of them. Undefined if it never came.
 */
async function syncBehind(context: ScenarioContext, link: LinkName, bytesAhead: number): Promise<Reply | undefined> {
  const wireMs = (bytesAhead + 6) * byteTimeMs(BAUD_DEFAULT);
  return context.session.request(link, "\nSYNC\n", (frame) => frame.type === "HELLO", 2 * wireMs + READ_MARGIN_MS);
}

/**
 * After `bytesAhead` bytes of abuse on `link`: SYNC behind them still gets HELLO, and the level
 * it announces, once every byte was read, is at most the flood policy's. Returns that level.
 */
async function expectStillServing(context: ScenarioContext, link: LinkName, levelBefore: number, bytesAhead: number): Promise<number | undefined> {
  const { target } = context;
  const floodLevel = Math.max(levelBefore, target.config.policy.flood);
  const hello = await syncBehind(context, link, bytesAhead);
  if (hello?.frame.type !== "HELLO") {
    context.check(false, `after the abuse, SYNC on the ${link} link got no HELLO (received ${JSON.stringify(target.timeline.received(link).slice(-3))})`);
    return undefined;
  }
  const level = hello.frame.level;
  context.check(level <= floodLevel, `abuse on the ${link} link may raise the level to the flood policy's ${floodLevel} at most; once it had read it all the controller said ${level} (${JSON.stringify(target.timeline.received("host").filter((text) => text.startsWith("LEVEL ")).slice(-2))})`);
  return level;
}

function garbage(link: LinkName): Scenario {
  return {
    id: `garbage-${link}`,
    title: `${GARBAGE_BYTES} random bytes on the ${link} link: resync at LF, level at most flood policy`,
    requirements: ["SR-9"],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      const levelBefore = session.level;
      // Heartbeats keep flowing behind the garbage (its LF ends the last garbage line), so the
      // level judged is what the garbage did, not a heartbeat deadline passing while it is read.
      target.send(link, randomBytes(context, GARBAGE_BYTES) + "\n");
      await expectStillServing(context, link, levelBefore, GARBAGE_BYTES);
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
      const level = await expectStillServing(context, link, LEVEL_STANDARD, frame.length * FLOOD_FRAMES);
      context.check(level === Math.max(LEVEL_STANDARD, target.config.policy.flood), `a flood must raise to the flood policy's level ${target.config.policy.flood}; once it had read it all the controller said ${level}`);
      // Every ERR for the flood came before the HELLO (replies keep the order of the requests).
      const replies = errors(target, link, sinceMs).length;
      context.check(replies >= 1 && replies <= ERR_REPLIES_PER_SLIDING_SECOND_MAX, `expected between 1 and ${ERR_REPLIES_PER_SLIDING_SECOND_MAX} ERR replies to ${FLOOD_FRAMES} refused frames (${(frame.length * FLOOD_FRAMES * byteTimeMs(BAUD_DEFAULT)).toFixed(0)} ms of line), got ${replies}`);
      // A heartbeat of the pump's own sequence (a second sender would be a replay).
      const mark = session.mark("host");
      session.heartbeat();
      const seq = session.seq;
      const ack = await session.nextReply("host", mark, (f) => f.type === "ACK" && f.seq >= seq, 1000);
      context.check(ack !== undefined, `after the flood a valid heartbeat (seq ${seq}) got no ACK`);
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
      // Each SYNC may cost a HELLO, and the ACKs queue behind them on the host link: wait for
      // the last heartbeat's ACK, after which every earlier reply is out (replies keep their
      // order), so the checkers can confirm each accepted heartbeat.
      const lastSeq = session.seq;
      const acked = (): boolean => target.timeline.received("host", sinceMs).some((text) => text.startsWith(`ACK ${lastSeq} `));
      context.check(await target.waitUntil(acked, burst ? 1000 : SYNC_FLOOD_DRAIN_MS), `the heartbeat of seq ${lastSeq}, sent during the SYNC flood, got no ACK`);
      const hellos = target.timeline.received("host", sinceMs).filter((text) => text.startsWith("HELLO ")).length;
      context.note(`${hellos} HELLOs answered ${burst ? 500 : 2000} SYNCs (replies are bounded: 24 per received chunk, 8,192 bytes per link per second, protocol section 7)`);
      context.check(session.level === LEVEL_STANDARD, `SYNC is a valid frame: the level must stay standard, controller says ${session.level}`);
      const opened = target.timeline.first("path", sinceMs, (event) => !event.conducting);
      context.check(opened === undefined, `valid heartbeats flowed throughout, yet path ${opened?.path} opened at ${opened?.atMs.toFixed(3)} ms`);
      const boots = target.timeline.of("boot").filter((event) => event.atMs >= sinceMs);
      context.check(boots.length === 0, `the controller rebooted (${boots.map((b) => `${b.cause} at ${b.atMs.toFixed(3)} ms`).join(", ")}) under a flood of valid frames`);
    },
  };
}

export const LINK_ABUSE: Scenario[] = [garbage("host"), garbage("ops"), flood("host"), flood("ops"), syncFlood(false), syncFlood(true)];
