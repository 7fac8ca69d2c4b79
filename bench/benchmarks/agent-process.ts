/**
 * The real attester, `guillotine agent run`, as a child process on a host-link pty: its
 * configuration, key and measured file in a temporary folder, its measurement digest computed
 * the way it computes it (so the controller can allowlist it), and SIGKILL to end it the way a
 * crashed hypervisor would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure } from "../../attester/measure.ts";

const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface AgentFiles {
  folder: string;
  configPath: string;
  /** The digest the agent will report; put it in the controller's allowlist. */
  measurement: string;
}

/** Writes the agent's files for controller `id` on `port`; the key file is mode 0600 as the agent demands. */
export async function prepareAgent(options: { id: string; hostKey: string; heartbeatPeriodMs: number }): Promise<AgentFiles> {
  const folder = mkdtempSync(join(tmpdir(), "guillotine-bench-agent-"));
  const measured = join(folder, "hypervisor.img");
  writeFileSync(measured, "the measured hypervisor image of the bench\n");
  writeFileSync(join(folder, "host.key"), options.hostKey + "\n", { mode: 0o600 });
  const sources = { files: [measured], commands: [], tpmPcrs: [] };
  const config = {
    controllerId: options.id, port: "/dev/null", baud: 115200, heartbeatPeriodMs: options.heartbeatPeriodMs,
    keyFile: join(folder, "host.key"), socketPath: join(folder, "agent.sock"), measureEveryMs: 3_600_000, commandTimeoutMs: 5000,
    measurements: sources,
  };
  const configPath = join(folder, "agent.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { folder, configPath, measurement: (await measure(sources, 5000)).digest };
}

/** Points the agent at `port` (known only once the simulator's ptys exist). */
export function setAgentPort(files: AgentFiles, port: string): void {
  const config = JSON.parse(readFileSync(files.configPath, "utf8"));
  writeFileSync(files.configPath, JSON.stringify({ ...config, port }, null, 2));
}

/** Starts `guillotine agent run`; its output is kept for error messages. */
export function startAgent(files: AgentFiles): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["bin/guillotine.mjs", "agent", "run", "--config", files.configPath], { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (data) => (output = (output + data).slice(-4000)));
  child.stderr!.on("data", (data) => (output = (output + data).slice(-4000)));
  return { child, output: () => output };
}

/** Kills the agent at once (no goodbye frame) and waits for it to be gone. */
export function killAgent(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** User plus system CPU time of process `pid` in microseconds, from /proc (Linux); undefined elsewhere. */
export function processCpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ on Linux: 100 on every mainstream build. */
export const CLOCK_TICKS_PER_SECOND = 100;

export function removeAgentFiles(files: AgentFiles): void {
  rmSync(files.folder, { recursive: true, force: true });
}
