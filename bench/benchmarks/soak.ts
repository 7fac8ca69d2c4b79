/**
 * soak: a million heartbeats (by default) at the attester's fastest period (20 ms) in virtual
 * time, about 5.6 h of board time. Passes with zero false trips (no LEVEL change, no ERR, no
 * path opening, every heartbeat ACKed) and reports process.memory() usage of the simulated
 * runtime, averaged over the first and the last tenth of the run. Each frame reaches the
 * firmware whole at its arrival time (what a busy idle loop sees): pacing every byte would
 * cost six times the wall time and is covered by the scenarios and the rate benchmark.
 */
import { benchConfig } from "../harness/config.ts";
import { Session } from "../harness/session.ts";
import { SimTarget } from "../targets/sim-target.ts";

export const SOAK_PERIOD_MS = 20;
/** Memory samples taken over the run (the estimate walks the heap: not every heartbeat). */
const MEMORY_SAMPLES = 200;

export interface SoakResult {
  trials: number;
  heartbeatPeriodMs: number;
  virtualHours: number;
  falseTrips: number;
  refused: number;
  acked: number;
  pathOpenings: number;
  memoryUsageBlocks: { firstTenthMean: number; lastTenthMean: number; total: number; samples: number };
  wallSeconds: number;
}

export async function soak(options: { boardId: string; bundlePath: string; seed: number; heartbeats: number; log: (line: string) => void }): Promise<SoakResult> {
  const started = performance.now();
  const target = new SimTarget({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config: benchConfig(options.seed, options.boardId) });
  const session = new Session(target);
  await session.bringUp();
  session.stopHeartbeats();
  // The bring-up pump's last ACK may still be on its way (the board takes CPU time): only the soak's own count.
  const firstSeq = session.seq + 1;
  let acked = 0;
  let levels = 0;
  let refused = 0;
  let openings = 0;
  target.onLine((link, text) => {
    if (link !== "host") return;
    if (text.startsWith("ACK ")) acked += Number(text.split(" ")[1]) >= firstSeq ? 1 : 0;
    else if (text.startsWith("LEVEL ")) levels++;
    else if (text.startsWith("ERR ")) refused++;
  });
  target.simulation.board.onWorldEvent((event) => void (event.type === "path" && !event.conducting && openings++));
  const usage: number[] = [];
  const every = Math.max(1, Math.floor(options.heartbeats / MEMORY_SAMPLES));
  const startMs = target.nowMs();
  for (let index = 0; index < options.heartbeats; index++) {
    await target.wait(SOAK_PERIOD_MS);
    target.burst("host", session.heartbeatText() + "\n");
    session.seq++;
    if (index % every === 0) {
      usage.push(target.snapshot().memory.usage);
      target.timeline.clear();
    }
    if (index % 100_000 === 0 && index > 0) options.log(`soak: ${index} heartbeats, ${levels} level changes, ${refused} refused`);
  }
  await target.wait(100);
  const total = target.snapshot().memory.total;
  await target.close();
  const tenth = Math.max(1, Math.floor(usage.length / 10));
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    trials: options.heartbeats, heartbeatPeriodMs: SOAK_PERIOD_MS, virtualHours: (target.nowMs() - startMs) / 3_600_000,
    falseTrips: levels, refused, acked, pathOpenings: openings,
    memoryUsageBlocks: { firstTenthMean: mean(usage.slice(0, tenth)), lastTenthMean: mean(usage.slice(-tenth)), total, samples: usage.length },
    wallSeconds: (performance.now() - started) / 1000,
  };
}
