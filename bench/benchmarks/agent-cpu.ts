/**
 * agent_cpu_us_per_heartbeat: CPU time (user + system, from /proc) of the whole
 * `guillotine agent run` process over a steady window, divided by the heartbeats it sent in
 * that window, at the fastest period the agent accepts (20 ms) against the real-time simulated
 * board. It includes Node's own event-loop and serial-port overhead: what a host pays. Where
 * /proc is missing, the figure is instead the in-process cost of building one heartbeat frame
 * with the host's code, and labelled so.
 */
import { buildHeartbeat } from "../../host/agent/heartbeat.ts";
import { nodeSha256 } from "../../host/crypto.ts";
import { fromHex } from "../../protocol/hex.ts";
import { HmacKey } from "../../protocol/hmac.ts";
import { benchConfig } from "../harness/config.ts";
import { killAgent, prepareAgent, processCpuMicros, removeAgentFiles, setAgentPort, startAgent } from "./agent-process.ts";
import { Operators } from "./operator.ts";
import { Peer } from "./peer.ts";
import { startRealtimeRig } from "./realtime-rig.ts";

export const AGENT_CPU_PERIOD_MS = 20;

export interface AgentCpuResult {
  what: string;
  usPerHeartbeat: number;
  trials: number;
  windowMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The fallback: microseconds to build one HB frame (HMAC included) with host/agent/heartbeat.ts. */
export function frameBuildCost(frames: number): AgentCpuResult {
  const key = new HmacKey(fromHex("11".repeat(32)), nodeSha256);
  const started = process.cpuUsage();
  for (let seq = 1; seq <= frames; seq++) buildHeartbeat({ id: "bench-sim", sessionNonce: "ab".repeat(16), seq, level: 0, measurement: "5e".repeat(16) }, key, nodeSha256);
  const used = process.cpuUsage(started);
  return { what: "host code building one HB frame in process (no agent process measured: /proc unavailable)", usPerHeartbeat: (used.user + used.system) / frames, trials: frames };
}

export async function agentCpu(options: { boardId: string; bundlePath: string; seed: number; windowMs: number; log: (line: string) => void }): Promise<AgentCpuResult> {
  if (processCpuMicros(process.pid) === undefined) return frameBuildCost(100_000);
  const draft = benchConfig(options.seed, options.boardId);
  const files = await prepareAgent({ id: draft.id, hostKey: draft.hostKey, heartbeatPeriodMs: AGENT_CPU_PERIOD_MS });
  const config = benchConfig(options.seed, options.boardId, { measurements: [files.measurement] });
  const rig = await startRealtimeRig({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config });
  setAgentPort(files, rig.hostPath);
  const ops = await Peer.open(rig.opsPath);
  const agent = startAgent(files);
  try {
    await new Operators(ops, config).restore(0);
    const start = performance.now();
    while (!(rig.board.world.pathConducting(0) && rig.board.world.pathConducting(1))) {
      if (performance.now() - start > 15_000) throw new Error(`agent cpu: the agent never closed the paths; its output: ${agent.output()}`);
      await sleep(10);
    }
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
    await ops.close();
    await rig.close();
    removeAgentFiles(files);
  }
}
