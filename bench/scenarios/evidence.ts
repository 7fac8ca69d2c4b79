/**
 * Every boot is a doubt, the evidence survives, and every request gets one reply (issue 13).
 * Each scenario reproduces one defect found by trying the real firmware as an attacker and as
 * an independent implementer would: an unplanned reset that forgave a trip, stale heartbeats
 * that read as an attack, a reset loop that flushed the log, a reboot that overwrote the
 * latched cause, a rewritten log export that verified, AUTH lines that did not bind their
 * target, a restore reported before it was confirmed, two replies to one request, and a
 * refused heartbeat that used up its sequence number.
 */
import { randomBytes } from "node:crypto";
import { CommandError } from "../../kit/command/command-error.ts";
import type { ControllerFrame } from "../../protocol/controller-frames.ts";
import { LEVEL_DECAPITATION, LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_STANDARD } from "../../protocol/constants.ts";
import { OpsClient } from "../../ops/client.ts";
import { entryHash, verifyLogChain, type LogEntry } from "../../ops/log-chain.ts";
import { verifyHead } from "../../ops/log-head.ts";
import type { LogExport } from "../../ops/log-file.ts";
import { readLog as readOpsLog } from "../../ops/log-read.ts";
import { restoreLevel } from "../../ops/quorum.ts";
import { signChallenge, type AuthLine } from "../../ops/signature.ts";
import { targetOpsLink, targetTimers, whileRunning } from "../harness/ops-link.ts";
import type { Target } from "../targets/target.ts";
import { conducting, relaysOf } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Variable blocks a leak takes: all of a Pico's, so the control cycle cannot run whatever the firmware's own footprint. */
const LEAK_BLOCKS = 5100;
/** The attester's default period (attester/), at which the stale-session defect showed 8 of 8 times. */
const AGENT_PERIOD_MS = 200;

/** Waits for the next boot after `fromMs` and its HELLO on the host link; returns the level it booted at. */
async function bootLevelAfter(context: ScenarioContext, fromMs: number, maxMs: number): Promise<number | undefined> {
  const { target } = context;
  const helloAfterBoot = (): boolean => {
    const boot = target.timeline.first("boot", fromMs);
    return boot !== undefined && target.timeline.first("rx", boot.atMs, (e) => e.link === "host" && e.text.startsWith("HELLO ")) !== undefined;
  };
  if (!(await target.waitUntil(helloAfterBoot, maxMs))) return undefined;
  const boot = target.timeline.first("boot", fromMs)!;
  return Number(target.timeline.first("rx", boot.atMs, (e) => e.link === "host" && e.text.startsWith("HELLO "))!.text.split(" ")[5]);
}

/** Runs `work` with the real operator tools' client on the target's ops link. */
async function withOpsClient<T>(target: Target, work: (client: OpsClient) => Promise<T>, maxMs = 8000): Promise<T> {
  const run = async (): Promise<T> => {
    const client = await OpsClient.start(targetOpsLink(target), targetTimers(target), 1000, "the bench's ops link");
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  };
  return whileRunning(target, run(), maxMs);
}

/** The kept log, read by the operator tools' own reader (ops/log-read.ts). */
function readLog(target: Target): Promise<LogExport> {
  return withOpsClient(target, (client) => readOpsLog(client, () => {}));
}

/** Operators' AUTH lines over a fresh challenge for `level`. */
async function signedLines(context: ScenarioContext, level: number, operators: number[]): Promise<AuthLine[]> {
  const { session } = context;
  const chal = await session.challenge(level);
  if (chal?.frame.type !== "CHAL") throw new Error(`no challenge for level ${level}: ${JSON.stringify(chal?.frame)}`);
  const nonce = chal.frame.nonce;
  return operators.map((operator) => signChallenge({ id: session.config.id, nonce, target: level }, operator, session.config.operators[operator]));
}

/** Three ways a board resets without warning; each must boot at least offline and never close a path after it. */
const unplannedReset: Scenario = {
  id: "reset-forgives-nothing",
  title: "a watchdog reset after a memory leak, a hang, a power cycle: each boots at least offline, the low-memory trip is logged, no path closes again",
  requirements: ["SR-2", "SR-11"],
  needs: ["faults", "power"],
  async run(context) {
    const { session, target } = context;
    const resets: [string, () => Promise<void>][] = [
      ["memory", async () => {
        await target.inject({ kind: "memory-pressure", blocks: LEAK_BLOCKS });
        await target.wait(200);
        await target.inject({ kind: "memory-pressure", blocks: 0 });
      }],
      ["hang", async () => target.inject({ kind: "firmware-hang" })],
      ["power", async () => {
        await target.power(false);
        await target.wait(200);
        await target.power(true);
      }],
    ];
    for (const [what, reset] of resets) {
      await session.bringUp();
      const fromMs = target.nowMs();
      await reset();
      const booted = await bootLevelAfter(context, fromMs, 2000);
      context.check(booted !== undefined && booted >= LEVEL_OFFLINE, `${what}: an unplanned reset must boot at least offline; booted at ${booted}`);
      await target.wait(1500);
      context.check(!conducting(target, "network") && !conducting(target, "power"), `${what}: heartbeats closed a path again after the reset`);
      if (what === "memory") {
        const log = await readLog(target);
        context.check(log.entries.some((e) => e.cause === "errorflag"), `memory: the low-memory trip never reached the log: ${log.entries.map((e) => e.cause).join(",")}`);
      }
    }
  },
};

/** Heartbeats written while the board was in reset reach the next session: their own error, never a MAC trip. */
const staleSession: Scenario = {
  id: "reset-stale-heartbeats",
  title: "8 resets with heartbeats flowing every 200 ms: the old session's heartbeats get ERR SESSION, never ERR MAC or REPLAY, and no mac or replay cause",
  requirements: ["SR-5", "SR-2"],
  needs: ["faults"],
  async run(context) {
    const { session, target, rng } = context;
    const fromMs = target.nowMs();
    for (let trial = 0; trial < 8; trial++) {
      await session.bringUp();
      session.startHeartbeats(AGENT_PERIOD_MS);
      await target.wait(300 + rng.int(AGENT_PERIOD_MS));
      const resetMs = target.nowMs();
      await target.inject({ kind: "firmware-hang" });
      // The attester's next heartbeat is on the wire as the board comes back: it still carries
      // the old session's nonce, since the boot HELLO has not reached the attester yet.
      await target.waitUntil(() => target.timeline.first("boot", resetMs) !== undefined, 2000);
      session.heartbeat();
      await bootLevelAfter(context, resetMs, 2000);
      await target.wait(1000);
    }
    const misleading = [...target.timeline.received("host", fromMs), ...target.timeline.received("ops", fromMs)]
      .filter((text) => /^ERR (MAC|REPLAY)$|^LEVEL \d (mac|replay)$/.test(text));
    context.check(misleading.length === 0, `frames of an old session were taken for an attack: ${misleading.join("; ")}`);
    const log = await readLog(target);
    context.check(!log.entries.some((e) => e.cause === "mac" || e.cause === "replay"), `the log blames mac or replay: ${log.entries.map((e) => e.cause).join(",")}`);
  },
};

/** A leak held for 3 s resets the board again and again: the older entries and the low-memory trip survive. */
const resetLoop: Scenario = {
  id: "reset-loop-keeps-evidence",
  title: "a reset loop (memory leak held 3 s): boots counted in one entry, the entries before the loop kept, errorflag logged, offline afterwards",
  requirements: ["SR-2", "SR-11"],
  needs: ["faults"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    const before = await readLog(target);
    const lastBefore = before.entries.at(-1)!;
    const fromMs = target.nowMs();
    await target.inject({ kind: "memory-pressure", blocks: LEAK_BLOCKS });
    await target.wait(3000);
    await target.inject({ kind: "memory-pressure", blocks: 0 });
    await target.wait(1500);
    const boots = target.timeline.of("boot").filter((b) => b.atMs >= fromMs).length;
    context.note(`${boots} boots during the loop`);
    context.check(boots >= 3, `the leak should have reset the board repeatedly; saw ${boots} boots`);
    if ((await session.sync("ops")) === undefined) throw new Error("no HELLO after the loop");
    const after = await readLog(target);
    const kept = after.entries.find((e) => e.index === lastBefore.index);
    context.check(kept !== undefined && entryHash(kept) === entryHash(lastBefore), `the entry before the loop (${lastBefore.index} ${lastBefore.cause}) was flushed; log now ${after.entries.map((e) => `${e.index}:${e.cause}`).join(",")}`);
    context.check(after.entries.some((e) => e.cause === "errorflag"), `no errorflag entry: ${after.entries.map((e) => e.cause).join(",")}`);
    const bootEntries = after.entries.filter((e) => e.index > lastBefore.index && e.cause === "boot");
    context.check(bootEntries.length <= 2 && bootEntries.some((e) => e.count > 1), `consecutive boots must be counted in one entry: ${bootEntries.map((e) => `${e.index}:boot x${e.count}`).join(",")}`);
    context.check(session.level >= LEVEL_OFFLINE && !conducting(target, "network") && !conducting(target, "power"), `after the loop the controller must be offline with every path open; level ${session.level}, paths ${target.paths().join(",")}`);
  },
};

/** Offline by e-stop, then a hang: the boot keeps the cause latched before it. */
const rebootKeepsCause: Scenario = {
  id: "reboot-keeps-cause",
  title: "offline by e-stop, then a watchdog reset: STATUS still names estop, latched before the boot",
  requirements: ["SR-2", "SR-13"],
  needs: ["faults", "estop"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    await target.press("estop", true);
    await target.waitUntil(() => session.level === LEVEL_OFFLINE, 500);
    await target.press("estop", false);
    await target.wait(100);
    const fromMs = target.nowMs();
    await target.inject({ kind: "firmware-hang" });
    await bootLevelAfter(context, fromMs, 2000);
    const status = await session.request("ops", "STATUS\n", (f) => f.type === "STATUS");
    context.check(status?.frame.type === "STATUS" && status.frame.level === LEVEL_OFFLINE && status.frame.cause === "estop", `after the reboot STATUS must keep offline, cause estop; got ${JSON.stringify(status?.frame)}`);
    context.check(status?.frame.type === "STATUS" && status.frame.causeBoot < status.frame.boot,
      `STATUS must show the cause was latched before this boot; got ${JSON.stringify(status?.frame)}`);
  },
};

/** An export whose causes were changed and whose chain was recomputed must fail against the controller's authenticated head. */
const logRewrite: Scenario = {
  id: "log-rewrite-detected",
  title: "a rewritten log export (causes changed, prev and head recomputed) fails against the head the controller authenticates with an operator key",
  requirements: ["SR-2"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    session.heartbeat({ level: LEVEL_PROBATION });
    await target.waitUntil(() => session.level === LEVEL_PROBATION, 500);
    const log = await readLog(target);
    const operator = 1;
    const vnonce = randomBytes(16).toString("hex");
    const reply = await session.request("ops", `HEAD ${operator} ${vnonce}\n`, (f) => f.type === "HEAD" || f.type === "ERR");
    context.check(reply?.frame.type === "HEAD", `HEAD must answer with the authenticated log head; got ${JSON.stringify(reply?.frame)}`);
    if (reply?.frame.type !== "HEAD") return;
    const head = { next: reply.frame.next, head: reply.frame.head, tag: reply.frame.tag };
    const genuine = verifyHead(session.config.id, vnonce, head, session.config.operators[operator]);
    context.check(genuine && verifyLogChain(log.entries, head).ok, "the genuine export must verify against the authenticated head");
    // The forger changes every `host` cause to `quorum`, then recomputes each prev and the head.
    const forged: LogEntry[] = [];
    for (const entry of log.entries) {
      const prev = forged.length === 0 ? entry.prev : entryHash(forged.at(-1)!);
      forged.push({ ...entry, cause: entry.cause === "host" ? "quorum" : entry.cause, prev });
    }
    context.check(forged.some((e, i) => e.cause !== log.entries[i].cause), "the scenario needs a host entry to rewrite");
    const forgedEnd = { next: log.end.next, head: entryHash(forged.at(-1)!) };
    context.check(!verifyLogChain(forged, head).ok, "a rewritten export passed verification against the controller's head");
    context.check(verifyLogChain(forged, forgedEnd).ok, "the forgery is self-consistent: only the authenticated head can catch it");
  },
};

/** AUTH lines name their target and controller: a mismatch is refused before anything is sent, and by the controller. */
const authBindsTarget: Scenario = {
  id: "auth-binds-target",
  title: "AUTH lines for a standard challenge: `restore probation` refuses them before sending, and the controller refuses a line naming another target",
  requirements: ["SR-3"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    session.startHeartbeats();
    const lines = await signedLines(context, LEVEL_STANDARD, [0, 1]);
    const fromMs = target.nowMs();
    let refusal = "";
    try {
      await withOpsClient(target, (client) => restoreLevel(client, LEVEL_PROBATION, lines, () => {}, targetTimers(target)));
    } catch (error) {
      refusal = (error as Error).message;
    }
    const authSent = target.timeline.of("tx").filter((e) => e.atMs >= fromMs && e.link === "ops" && e.text.startsWith("AUTH "));
    context.check(refusal !== "" && authSent.length === 0, `restore probation with lines for standard must refuse before sending; sent ${authSent.length} AUTH, ${refusal === "" ? "succeeded" : "refused: " + refusal}`);
    context.check(session.level === LEVEL_OFFLINE, `the controller moved to ${session.level}`);
    // Straight to the controller: a line that names target 1 for the challenge of target 0.
    const renamed = lines[0].line.replace(` ${LEVEL_STANDARD} `, ` ${LEVEL_PROBATION} `);
    const answer = await session.auth(renamed);
    context.check(answer?.frame.type === "ERR" && answer.frame.code === "CHALLENGE", `an AUTH line naming another target must get ERR CHALLENGE; got ${JSON.stringify(answer?.frame)}`);
  },
};

/** A welded relay fails the start-up test after a restore: the tool must report the failure, not success. */
const restoreConfirmed: Scenario = {
  id: "restore-confirmed-welded",
  title: "ops restore succeeds only once the paths read back closed; with a welded net relay it reports the relay trip and fails",
  requirements: ["SR-7", "SR-3"],
  needs: ["relay-faults"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    session.startHeartbeats();
    const good = await signedLines(context, LEVEL_STANDARD, [0, 1]);
    const status = await withOpsClient(target, (client) => restoreLevel(client, LEVEL_STANDARD, good, () => {}, targetTimers(target)));
    context.check(status.level === LEVEL_STANDARD && session.serviceUp(), `a good restore must return only once every path conducts; paths ${target.paths().join(",")}`);
    session.heartbeat({ level: LEVEL_OFFLINE });
    await target.waitUntil(() => session.level === LEVEL_OFFLINE, 500);
    await target.inject({ kind: "relay-welded", relay: relaysOf(target, "network")[0] });
    const lines = await signedLines(context, LEVEL_STANDARD, [0, 1]);
    let failure: CommandError | undefined;
    try {
      await withOpsClient(target, (client) => restoreLevel(client, LEVEL_STANDARD, lines, () => {}, targetTimers(target)));
    } catch (error) {
      failure = error as CommandError;
    }
    context.check(failure !== undefined && /relay/.test(failure.message), `with a welded relay the restore must fail naming the relay trip; ${failure === undefined ? "it reported success" : failure.message}`);
    await target.wait(200);
    context.check(session.level === LEVEL_OFFLINE, `the controller should have tripped to offline; level ${session.level}`);
  },
};

/** The AUTH that completes a quorum for an irreversible level without the arm key gets one reply: ERR ARM. */
const oneReply: Scenario = {
  id: "one-request-one-reply",
  title: "every request gets exactly one reply: the AUTH completing a decapitation quorum without the arm input is answered ERR ARM only",
  requirements: ["SR-10", "SR-9"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    await target.wait(100);
    const requests = ["SYNC", "STATUS", "LOG 0", "LOG 999", `CHAL ${LEVEL_DECAPITATION}`];
    for (const request of requests) {
      if (request.startsWith("CHAL")) await target.wait(1100);
      const mark = session.mark("ops");
      const fromMs = target.nowMs();
      target.send("ops", request + "\n");
      await target.wait(400);
      const replies = target.timeline.received("ops", fromMs).filter((t) => !t.startsWith("LEVEL "));
      context.check(replies.length === 1, `${request}: expected one reply, got ${JSON.stringify(replies)}`);
      if (request.startsWith("CHAL")) {
        const chal = await session.nextReply("ops", mark, (f) => f.type === "CHAL");
        if (chal?.frame.type !== "CHAL") throw new Error(`no CHAL: ${JSON.stringify(chal?.frame)}`);
        await session.auth(session.authText(chal.frame.nonce, LEVEL_DECAPITATION, 0));
        // Only what arrives after the AUTH that completes the quorum is its reply.
        const lastFromMs = target.nowMs() + 1e-6;
        target.send("ops", session.authText(chal.frame.nonce, LEVEL_DECAPITATION, 1) + "\n");
        await target.wait(400);
        const answers = target.timeline.received("ops", lastFromMs).filter((t) => !t.startsWith("LEVEL "));
        context.check(answers.length === 1 && answers[0] === "ERR ARM", `the completing AUTH without arm must get exactly ERR ARM; got ${JSON.stringify(answers)}`);
      }
    }
  },
};

/** Only accepted heartbeats count: one refused for its measurement leaves its sequence for the retry. */
const measurementSeq: Scenario = {
  id: "measurement-refusal-keeps-seq",
  title: "a heartbeat refused for its measurement does not use up its sequence: the retry with a good measurement is ACKed",
  requirements: ["SR-5"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    session.stopHeartbeats();
    const seq = session.seq + 1;
    // The answer to this heartbeat, not the ACK of the pump's last one still on its way back.
    const answer = (f: ControllerFrame): boolean => f.type === "ERR" || (f.type === "ACK" && f.seq >= seq);
    const bad = await session.request("host", session.heartbeatText({ seq, measurement: "77".repeat(16) }) + "\n", answer);
    context.check(bad?.frame.type === "ERR" && bad.frame.code === "MEASUREMENT", `expected ERR MEASUREMENT, got ${JSON.stringify(bad?.frame)}`);
    const retry = await session.request("host", session.heartbeatText({ seq }) + "\n", answer);
    context.check(retry?.frame.type === "ACK" && retry.frame.seq === seq, `the retry of sequence ${seq} must be ACKed; got ${JSON.stringify(retry?.frame)}`);
    session.seq = seq;
    const status = await session.request("ops", "STATUS\n", (f) => f.type === "STATUS");
    context.check(status?.frame.type === "STATUS" && status.frame.seq === seq, `STATUS seq must be the last accepted, ${seq}; got ${JSON.stringify(status?.frame)}`);
  },
};

export const EVIDENCE: Scenario[] = [unplannedReset, staleSession, resetLoop, rebootKeepsCause, logRewrite, authBindsTarget, restoreConfirmed, oneReply, measurementSeq];
