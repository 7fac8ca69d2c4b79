/**
 * A silent host trips by deadline, level by level (protocol section 6): standard to severed
 * at deadlineMs[0], probation to severed at its tighter deadlineMs[1], severed to offline at
 * deadlineMs[2], each counted from the last accepted heartbeat; and a trip never clears when
 * heartbeats resume.
 */
import { LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED } from "../../protocol/constants.ts";
import { checkTripAt, conducting, lastLevelFrame } from "./helpers.ts";
import type { Scenario } from "./scenario.ts";

/** Margin past a deadline to wait for its trip before calling it missing. */
const TRIP_WAIT_MS = 500;

const standard: Scenario = {
  id: "heartbeat-loss-standard",
  title: "standard: silent host severs the network at deadlineMs[0] exactly, power stays",
  requirements: ["SR-4", "SR-1"],
  async run(context) {
    const { target, session } = context;
    await session.bringUp();
    session.stopHeartbeats();
    const sinceMs = target.nowMs();
    const dueMs = session.lastValidArrivalMs! + target.config.deadlineMs[0];
    await target.waitUntil(() => session.level >= LEVEL_SEVERED, dueMs + TRIP_WAIT_MS - target.nowMs());
    await checkTripAt(context, "network", sinceMs, dueMs, "standard deadline");
    context.check(lastLevelFrame(target, sinceMs)?.cause === "deadline", `expected LEVEL 2 deadline, got ${JSON.stringify(lastLevelFrame(target, sinceMs))}`);
    context.check(session.level === LEVEL_SEVERED, `expected severed (2) after the standard deadline, controller says ${session.level}`);
    context.check(conducting(target, "power"), "severed keeps power paths closed until deadlineMs[2], but power already opened");
  },
};

const probation: Scenario = {
  id: "heartbeat-loss-probation",
  title: "probation: the tighter deadlineMs[1] severs the network",
  requirements: ["SR-4"],
  async run(context) {
    const { target, session } = context;
    await session.bringUp();
    session.heartbeat({ level: LEVEL_PROBATION });
    await target.waitUntil(() => session.level === LEVEL_PROBATION, 500);
    context.check(session.level === LEVEL_PROBATION, `a heartbeat asking for probation should raise to 1, controller says ${session.level}`);
    await target.wait(300);
    context.check(conducting(target, "network"), "probation keeps network paths closed while heartbeats flow, but the network opened");
    session.stopHeartbeats();
    const sinceMs = target.nowMs();
    const dueMs = session.lastValidArrivalMs! + target.config.deadlineMs[1];
    await target.waitUntil(() => session.level >= LEVEL_SEVERED, dueMs + TRIP_WAIT_MS - target.nowMs());
    await checkTripAt(context, "network", sinceMs, dueMs, "probation deadline");
    context.check(session.level === LEVEL_SEVERED, `expected severed (2) after the probation deadline, controller says ${session.level}`);
  },
};

const severed: Scenario = {
  id: "heartbeat-loss-severed",
  title: "severed: silent host goes offline at deadlineMs[2]; resumed heartbeats restore nothing",
  requirements: ["SR-4", "SR-2"],
  async run(context) {
    const { target, session } = context;
    await session.bringUp();
    session.stopHeartbeats();
    const sinceMs = target.nowMs();
    const lastMs = session.lastValidArrivalMs!;
    const dueMs = lastMs + target.config.deadlineMs[2];
    await target.waitUntil(() => session.level >= LEVEL_OFFLINE, dueMs + TRIP_WAIT_MS - target.nowMs());
    await checkTripAt(context, "power", sinceMs, dueMs, "severed deadline");
    context.check(session.level === LEVEL_OFFLINE, `expected offline (3) at deadlineMs[2], controller says ${session.level}`);
    session.startHeartbeats();
    await target.wait(2000);
    context.check(session.level === LEVEL_OFFLINE, `resumed heartbeats must not lower the level; controller says ${session.level}`);
    context.check(!conducting(target, "network") && !conducting(target, "power"), "resumed heartbeats closed a path again after a trip");
  },
};

export const HEARTBEAT_LOSS: Scenario[] = [standard, probation, severed];
