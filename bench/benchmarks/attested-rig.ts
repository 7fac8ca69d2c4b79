/**
 * A real-time simulated board provisioned to allowlist the real attester's measurement, with
 * the attester's files ready on the host-link pty and an operator peer on the ops link: what
 * the benchmarks that run `guillotine agent run` share.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import { benchConfig } from "../harness/config.ts";
import { prepareAgent, removeAgentFiles, setAgentPort, type AgentFiles } from "./agent-process.ts";
import { Peer } from "./peer.ts";
import { startRealtimeRig, type RealtimeRig } from "./realtime-rig.ts";

export interface AttestedRig {
  files: AgentFiles;
  config: ControllerConfig;
  rig: RealtimeRig;
  ops: Peer;
  close(): Promise<void>;
}

export async function startAttestedRig(options: { boardId: string; bundlePath: string; seed: number }, heartbeatPeriodMs: number): Promise<AttestedRig> {
  const draft = benchConfig(options.seed, options.boardId);
  const files = await prepareAgent({ id: draft.id, hostKey: draft.hostKey, heartbeatPeriodMs });
  const config = benchConfig(options.seed, options.boardId, { measurements: [files.measurement] });
  const rig = await startRealtimeRig({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config });
  setAgentPort(files, rig.hostPath);
  const ops = await Peer.open(rig.opsPath);
  return {
    files, config, rig, ops,
    async close() {
      await ops.close();
      await rig.close();
      removeAgentFiles(files);
    },
  };
}
