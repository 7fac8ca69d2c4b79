/**
 * trip_latency_ms: on the real-time simulator over ptys, from a heartbeat deadline to the
 * coils of the tripped paths losing current, and to their contacts opening. Each cycle restores
 * the controller (quorum), heartbeats until the paths close, goes silent at a random phase and
 * measures two trips: network at deadlineMs[0] (to severed) and power at deadlineMs[2] (to
 * offline), both counted from the last heartbeat's last byte being due at the controller.
 */
import { Rng } from "../../simulator/rng.ts";
import type { WorldEvent } from "../../simulator/simulated-board.ts";
import { benchConfig } from "../harness/config.ts";
import { heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import { Operators } from "./operator.ts";
import { Peer } from "./peer.ts";
import { startRealtimeRig, type RealtimeRig } from "./realtime-rig.ts";
import { sleep, until } from "./poll.ts";
import { summarize, type Summary } from "./stats.ts";

/**
 * The shortest deadlines the firmware accepts (none below the watchdog's 250 ms), so a cycle
 * takes about a second (the challenge rate limit dominates).
 */
export const TRIP_DEADLINES_MS = [250, 250, 500];
const HEARTBEAT_PERIOD_MS = 20;
export const TRIP_LATENCY_GOAL_P99_MS = 2;

export interface TripLatencyResult {
  trials: number;
  deadlinesMs: number[];
  toCoilMs: Summary;
  toContactMs: Summary;
  goal: string;
  goalMet: boolean;
  samples: { toCoilMs: number[]; toContactMs: number[] };
}

function firstAfter(events: WorldEvent[], fromMs: number, match: (e: WorldEvent) => boolean): number | undefined {
  return events.find((e) => e.atMs >= fromMs && match(e))?.atMs;
}

/** One silent spell: returns [coil latency, contact latency] for the network and the power trip. */
async function measureCycle(rig: RealtimeRig, host: Peer, session: { nonce: string; seq: number }, rng: Rng): Promise<[number, number][]> {
  const { board, config, events } = rig;
  const pump = setInterval(() => host.write(heartbeatLine({ id: config.id, nonce: session.nonce, seq: ++session.seq, level: 0, measurement: config.measurements[0], keyHex: config.hostKey }) + "\n"), HEARTBEAT_PERIOD_MS);
  try {
    await until(() => board.world.pathConducting(0) && board.world.pathConducting(1), 2000, "the paths to close", undefined, 2);
    await sleep(20 + rng.int(HEARTBEAT_PERIOD_MS));
  } finally {
    clearInterval(pump);
  }
  const stoppedMs = rig.clock.nowMs();
  const coilOff = (relays: number[]) => (e: WorldEvent) => e.type === "coil" && !e.energised && relays.includes(e.relay);
  const pathOff = (path: number) => (e: WorldEvent) => e.type === "path" && !e.conducting && e.path === path;
  await until(() => firstAfter(events, stoppedMs, pathOff(1)) !== undefined, 3000, "the power path to open", undefined, 2);
  const samples: [number, number][] = [];
  for (const [path, deadlineMs] of [[0, config.deadlineMs[0]], [1, config.deadlineMs[2]]]) {
    const coilMs = firstAfter(events, stoppedMs, coilOff([2 * path, 2 * path + 1]))!;
    const lastDueMs = Math.max(...rig.hostLineDueMs.filter((due) => due <= coilMs));
    const dueMs = lastDueMs + deadlineMs;
    samples.push([coilMs - dueMs, firstAfter(events, stoppedMs, pathOff(path))! - dueMs]);
  }
  events.length = 0;
  return samples;
}

export async function tripLatency(options: { boardId: string; bundlePath: string; seed: number; trips: number; log: (line: string) => void }): Promise<TripLatencyResult> {
  const config = benchConfig(options.seed, options.boardId, { deadlineMs: TRIP_DEADLINES_MS });
  // The host's timer jitter, on a board with no CPU time of its own: the board's own trip
  // latency, CPU included, is board_cpu_memory's (virtual time).
  const rig = await startRealtimeRig({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config });
  const rng = new Rng(options.seed).derive("trip-latency");
  const host = await Peer.open(rig.hostPath);
  const ops = await Peer.open(rig.opsPath);
  const toCoilMs: number[] = [];
  const toContactMs: number[] = [];
  try {
    const hello = await host.ask("SYNC\n", (t) => t.startsWith("HELLO "), "HELLO");
    const session = { nonce: hello.split(" ")[4], seq: Number(hello.split(" ")[6]) };
    const operators = new Operators(ops, config);
    while (toCoilMs.length < options.trips) {
      await operators.restore(0);
      for (const [coil, contact] of await measureCycle(rig, host, session, rng)) {
        toCoilMs.push(coil);
        toContactMs.push(contact);
      }
      if (toCoilMs.length % 20 === 0) options.log(`trip latency: ${toCoilMs.length}/${options.trips} trips`);
    }
  } finally {
    await host.close();
    await ops.close();
    await rig.close();
  }
  const coil = summarize(toCoilMs);
  return {
    trials: toCoilMs.length, deadlinesMs: config.deadlineMs, toCoilMs: coil, toContactMs: summarize(toContactMs),
    goal: `p99 to the coil < ${TRIP_LATENCY_GOAL_P99_MS} ms`, goalMet: coil.p99 < TRIP_LATENCY_GOAL_P99_MS,
    samples: { toCoilMs, toContactMs },
  };
}
