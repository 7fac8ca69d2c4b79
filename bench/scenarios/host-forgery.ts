/**
 * What a compromised host can forge on the host link, each of which must trip at once
 * (protocol section 5 checks): a wrong MAC, a replay within the session, a frame from an earlier
 * session (after a reboot) passed off as one of this session, a heartbeat MACed for another
 * controller, and an authentic heartbeat whose measurement is not allowlisted. A frame that
 * names an earlier session is answered ERR SESSION and trips nothing: it may be one written
 * while the board was resetting.
 */
import { LEVEL_OFFLINE, LEVEL_SEVERED } from "../../protocol/constants.ts";
import { checkTripAt, conducting, errors, lastLevelFrame } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Sends `frame` (a line without LF) on the host link into a running controller; checks the trip. */
async function expectRejectedAndTripped(context: ScenarioContext, frame: string, expected: { code: string; level: number; cause: string }): Promise<void> {
  const { target, session } = context;
  session.stopHeartbeats();
  const sinceMs = target.nowMs();
  const sent = target.send("host", frame + "\n");
  const arrivesAtMs = sent.arrivesAtMs ?? sent.atMs;
  await target.waitUntil(() => lastLevelFrame(target, sinceMs) !== undefined, 1000);
  context.check(errors(target, "host", sinceMs).includes(expected.code), `expected ERR ${expected.code}, controller sent ${JSON.stringify(target.timeline.received("host", sinceMs))}`);
  const announced = lastLevelFrame(target, sinceMs);
  context.check(announced?.level === expected.level && announced.cause === expected.cause, `expected LEVEL ${expected.level} ${expected.cause}, got ${JSON.stringify(announced)}`);
  await checkTripAt(context, "network", sinceMs, arrivesAtMs, `ERR ${expected.code}`);
  if (expected.level >= LEVEL_OFFLINE) await checkTripAt(context, "power", sinceMs, arrivesAtMs, `ERR ${expected.code}`);
  else context.check(conducting(target, "power"), `ERR ${expected.code} at severed must leave power closed, but power opened`);
}

const forgedMac: Scenario = {
  id: "forged-mac",
  title: "a heartbeat with a wrong MAC trips to severed on arrival",
  requirements: ["SR-5"],
  async run(context) {
    await context.session.bringUp();
    const forged = context.session.heartbeatText({ keyHex: "00".repeat(32) });
    await expectRejectedAndTripped(context, forged, { code: "MAC", level: LEVEL_SEVERED, cause: "mac" });
  },
};

const replayWithinSession: Scenario = {
  id: "replay-within-session",
  title: "a heartbeat replayed in its own session trips to severed",
  requirements: ["SR-5"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    const recorded = session.heartbeat().text;
    await target.wait(300);
    await expectRejectedAndTripped(context, recorded, { code: "REPLAY", level: LEVEL_SEVERED, cause: "replay" });
  },
};

const replayAcrossSessions: Scenario = {
  id: "replay-across-sessions",
  title: "a heartbeat from before a reboot: as sent, ERR SESSION without a trip; relabelled with the new session, a wrong MAC",
  requirements: ["SR-5", "SR-2"],
  needs: ["power"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    await target.wait(1000);
    const recorded = session.heartbeat();
    const recordedSeq = session.seq;
    session.stopHeartbeats();
    await target.power(false);
    await target.wait(200);
    await target.power(true);
    await target.waitUntil(() => session.seq === 0 && session.nonce !== undefined, 2000);
    await session.bringUp();
    context.check(session.seq < recordedSeq, `the new session's sequence (${session.seq}) must still be below the recorded ${recordedSeq} for this test to mean anything`);
    const sinceMs = target.nowMs();
    target.send("host", recorded.text + "\n");
    await target.wait(200);
    const replies = target.timeline.received("host", sinceMs).filter((text) => !text.startsWith("ACK "));
    context.check(replies.length === 1 && replies[0] === "ERR SESSION" && session.level === 0, `the old session's heartbeat must get ERR SESSION alone and trip nothing; got ${JSON.stringify(replies)}, level ${session.level}`);
    const relabelled = recorded.text.replace(/^HB [0-9a-f]{8} /, `HB ${session.nonce!.slice(0, 8)} `);
    await expectRejectedAndTripped(context, relabelled, { code: "MAC", level: LEVEL_SEVERED, cause: "mac" });
  },
};

const otherController: Scenario = {
  id: "other-controller-heartbeat",
  title: "a heartbeat MACed for another controller id (same key, same nonce) is a wrong MAC",
  requirements: ["SR-5"],
  async run(context) {
    await context.session.bringUp();
    const foreign = context.session.heartbeatText({ id: "bench-other" });
    await expectRejectedAndTripped(context, foreign, { code: "MAC", level: LEVEL_SEVERED, cause: "mac" });
  },
};

const unknownMeasurement: Scenario = {
  id: "unknown-measurement",
  title: "an authentic heartbeat with a measurement outside the allowlist trips to offline",
  requirements: ["SR-5"],
  async run(context) {
    await context.session.bringUp();
    const frame = context.session.heartbeatText({ measurement: "ab".repeat(16) });
    await expectRejectedAndTripped(context, frame, { code: "MEASUREMENT", level: LEVEL_OFFLINE, cause: "measurement" });
  },
};

export const HOST_FORGERY: Scenario[] = [forgedMac, replayWithinSession, replayAcrossSessions, otherController, unknownMeasurement];
