/**
 * end_to_end_ms: the real attester (`guillotine agent run`) keeps a real-time simulated board
 * in service over a pty; it is killed with SIGKILL at a random moment, and the bench measures
 * how long until the network path and then the power path stop conducting, against the
 * configured deadlines (default 1000 / 3000 ms: a path may open up to one heartbeat period
 * earlier than the deadline after the kill, never later than deadline plus trip latency).
 */
import { Rng } from "../../simulator/rng.ts";
import type { WorldEvent } from "../../simulator/simulated-board.ts";
import { killAgent, startAgent } from "./agent-process.ts";
import { startAttestedRig } from "./attested-rig.ts";
import { Operators } from "./operator.ts";
import { sleep, until } from "./poll.ts";
import { summarize, type Summary } from "./stats.ts";

export const E2E_HEARTBEAT_PERIOD_MS = 200;

export interface EndToEndResult {
  trials: number;
  attester: string;
  heartbeatPeriodMs: number;
  deadlinesMs: number[];
  killToNetworkOpenMs: Summary;
  killToPowerOpenMs: Summary;
  /** Power opened no later than deadlineMs[2] + 20 ms after the kill in every trial. */
  withinDeadline: boolean;
}

export async function endToEnd(options: { boardId: string; bundlePath: string; seed: number; trials: number; log: (line: string) => void }): Promise<EndToEndResult> {
  const rng = new Rng(options.seed).derive("end-to-end");
  const attested = await startAttestedRig(options, E2E_HEARTBEAT_PERIOD_MS);
  const { files, config, rig } = attested;
  const operators = new Operators(attested.ops, config);
  const network: number[] = [];
  const power: number[] = [];
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      const agent = startAgent(files);
      try {
        // The deadline after a restore runs from the lowering: restore only once the agent attests.
        await until(() => agent.output().includes("session "), 15_000, "the agent to open its session", agent.output);
        await operators.restore(0);
        await until(() => rig.board.world.pathConducting(0) && rig.board.world.pathConducting(1), 15_000, "the agent's heartbeats to close the paths", agent.output);
        await sleep(500 + rng.int(E2E_HEARTBEAT_PERIOD_MS));
      } catch (error) {
        await killAgent(agent.child);
        throw error;
      }
      const killMs = rig.clock.nowMs();
      await killAgent(agent.child);
      const opened = (path: number) => (e: WorldEvent) => e.type === "path" && e.path === path && !e.conducting && e.atMs >= killMs;
      await until(() => rig.events.some(opened(1)), config.deadlineMs[2] + 1000, "the power path to open", () => "");
      network.push(rig.events.find(opened(0))!.atMs - killMs);
      power.push(rig.events.find(opened(1))!.atMs - killMs);
      rig.events.length = 0;
      options.log(`end to end: trial ${trial + 1}/${options.trials}: network open ${network.at(-1)!.toFixed(1)} ms, power open ${power.at(-1)!.toFixed(1)} ms after the kill`);
    }
  } finally {
    await attested.close();
  }
  return {
    trials: power.length, attester: "guillotine agent run (child process, killed with SIGKILL)", heartbeatPeriodMs: E2E_HEARTBEAT_PERIOD_MS,
    deadlinesMs: config.deadlineMs, killToNetworkOpenMs: summarize(network), killToPowerOpenMs: summarize(power),
    withinDeadline: power.every((ms) => ms <= config.deadlineMs[2] + 20) && network.every((ms) => ms <= config.deadlineMs[0] + 20),
  };
}
