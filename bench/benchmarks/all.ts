/**
 * Every benchmark, in order, into one results object: each figure carries its trials count and
 * the machine it was measured on. A benchmark that fails records its error and the others
 * still run. Sizes are options, so `make test` runs the same code with tiny counts.
 */
import { agentCpu } from "./agent-cpu.ts";
import { boardCpuMemory } from "./board-cpu-memory.ts";
import { endToEnd } from "./end-to-end.ts";
import { footprint } from "./footprint.ts";
import { heartbeatRate } from "./heartbeat-rate.ts";
import { machineInfo, type MachineInfo } from "./machine.ts";
import { soak } from "./soak.ts";
import { tripLatency } from "./trip-latency.ts";

export interface BenchSizes {
  trips: number;
  endToEndTrials: number;
  rateWindowMs: number;
  /** Bisection steps of the highest sustained heartbeat rate. */
  rateSteps: number;
  soakHeartbeats: number;
  agentWindowMs: number;
}

export const FULL_SIZES: BenchSizes = { trips: 200, endToEndTrials: 5, rateWindowMs: 5_000, rateSteps: 7, soakHeartbeats: 1_000_000, agentWindowMs: 10_000 };
export const SMOKE_SIZES: BenchSizes = { trips: 4, endToEndTrials: 1, rateWindowMs: 300, rateSteps: 4, soakHeartbeats: 2000, agentWindowMs: 1000 };

export const BENCHMARK_NAMES = ["footprint", "board_cpu_memory", "heartbeat_rate", "soak", "trip_latency_ms", "end_to_end_ms", "agent_cpu_us_per_heartbeat"] as const;
export type BenchmarkName = (typeof BENCHMARK_NAMES)[number];

export interface BenchResults {
  generatedAt: string;
  seed: number;
  board: string;
  machine: MachineInfo;
  wallSeconds: number;
  figures: Record<string, ({ trials: number; machine: MachineInfo; wallSeconds: number } & Record<string, unknown>) | { error: string; machine: MachineInfo }>;
}

export interface AllOptions {
  boardId: string;
  bundlePath: string;
  seed: number;
  sizes: BenchSizes;
  only: BenchmarkName[];
  log: (line: string) => void;
}

function runner(name: BenchmarkName, o: AllOptions): () => Promise<{ trials: number } & object> {
  const base = { boardId: o.boardId, bundlePath: o.bundlePath, seed: o.seed, log: o.log };
  switch (name) {
    case "footprint": return async () => footprint();
    case "board_cpu_memory": return () => boardCpuMemory({ bundlePath: o.bundlePath, seed: o.seed, rateWindowMs: o.sizes.rateWindowMs, rateSteps: o.sizes.rateSteps, log: o.log });
    case "heartbeat_rate": return () => heartbeatRate({ ...base, windowMs: o.sizes.rateWindowMs, steps: o.sizes.rateSteps });
    case "soak": return () => soak({ ...base, heartbeats: o.sizes.soakHeartbeats });
    case "trip_latency_ms": return () => tripLatency({ ...base, trips: o.sizes.trips });
    case "end_to_end_ms": return () => endToEnd({ ...base, trials: o.sizes.endToEndTrials });
    case "agent_cpu_us_per_heartbeat": return () => agentCpu({ ...base, windowMs: o.sizes.agentWindowMs });
  }
}

export async function runAll(options: AllOptions): Promise<BenchResults> {
  const machine = machineInfo();
  const started = performance.now();
  const figures: BenchResults["figures"] = {};
  for (const name of options.only.length > 0 ? options.only : BENCHMARK_NAMES) {
    const begun = performance.now();
    options.log(`bench: ${name} ...`);
    try {
      const result = await runner(name, options)();
      figures[name] = { ...result, machine, wallSeconds: (performance.now() - begun) / 1000 };
    } catch (error) {
      figures[name] = { error: (error as Error).message, machine };
    }
    options.log(`bench: ${name} done in ${((performance.now() - begun) / 1000).toFixed(1)} s${"error" in figures[name] ? `: FAILED: ${(figures[name] as { error: string }).error}` : ""}`);
  }
  return { generatedAt: new Date().toISOString(), seed: options.seed, board: options.boardId, machine, wallSeconds: (performance.now() - started) / 1000, figures };
}
