/**
 * agent_cpu_us_per_heartbeat: CPU time (user + system, from /proc) of the whole
 * `guillotine agent run` process over a steady window, divided by the heartbeats it sent in
 * that window, at the fastest period the agent accepts (20 ms) against the real-time simulated
 * board. It includes Node's own event-loop and serial-port overhead: what a host pays. Where
 * /proc is missing, the figure is instead the in-process cost of building one heartbeat frame
 * with the host's code, and labelled so.
 */
import { buildHeartbeat } from "../../attester/heartbeat.ts";
import { fromHex } from "../../protocol/hex.ts";
import { HmacKey } from "../../protocol/hmac.ts";
import { killAgent, processCpuMicros, startAgent } from "./agent-process.ts";
import { startAttestedRig } from "./attested-rig.ts";
import { Operators } from "./operator.ts";
import { sleep, until } from "./poll.ts";

export const AGENT_CPU_PERIOD_MS = 20;

export interface AgentCpuResult {
  what: string;
  usPerHeartbeat: number;
  trials: number;
  windowMs?: number;
}

/** The fallback: microseconds to build one HB frame (HMAC included) with attester/heartbeat.ts. */
export function frameBuildCost(frames: number): AgentCpuResult {
  const key = new HmacKey(fromHex("11".repeat(32)));
  const started = process.cpuUsage();
  for (let seq = 1; seq <= frames; seq++) buildHeartbeat({ id: "bench-sim", sessionNonce: "ab".repeat(16), seq, level: 0, measurement: "5e".repeat(16) }, key);
  const used = process.cpuUsage(started);
  return { what: "host code building one HB frame in process (no agent process measured: /proc unavailable)", usPerHeartbeat: (used.user + used.system) / frames, trials: frames };
}

export async function agentCpu(options: { boardId: string; bundlePath: string; seed: number; windowMs: number; log: (line: string) => void }): Promise<AgentCpuResult> {
  if (processCpuMicros(process.pid) === undefined) return frameBuildCost(100_000);
  const attested = await startAttestedRig(options, AGENT_CPU_PERIOD_MS);
  const { config, rig, ops } = attested;
  const agent = startAgent(attested.files);
  try {
    // The deadline after a restore runs from the lowering: restore only once the agent attests.
    await until(() => agent.output().includes("session "), 15_000, "the agent to open its session", () => `its output: ${agent.output()}`, 10);
    await new Operators(ops, config).restore(0);
    await until(() => rig.board.world.pathConducting(0) && rig.board.world.pathConducting(1), 15_000, "the agent's heartbeats to close the paths", () => `its output: ${agent.output()}`, 10);
    await sleep(2000);
    const cpuBefore = processCpuMicros(agent.child.pid!)!;
    const linesBefore = rig.hostLineDueMs.length;
    const dueBefore = rig.hostLineDueMs.at(-1)!;
    await sleep(options.windowMs);
    const cpuAfter = processCpuMicros(agent.child.pid!)!;
    const sent = rig.hostLineDueMs.filter((due) => due > dueBefore).length;
    options.log(`agent cpu: ${sent} heartbeats in ${options.windowMs} ms (${linesBefore} lines before the window)`);
    return { what: `whole \`guillotine agent run\` process (user+system CPU from /proc) per heartbeat sent, period ${AGENT_CPU_PERIOD_MS} ms`, usPerHeartbeat: (cpuAfter - cpuBefore) / Math.max(1, sent), trials: sent, windowMs: options.windowMs };
  } finally {
    await killAgent(agent.child);
    await attested.close();
  }
}
