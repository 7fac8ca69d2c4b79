/** The machine a figure was measured on: every benchmark result carries it. */
import os from "node:os";

export interface MachineInfo {
  os: string;
  cpuModel: string;
  cores: number;
  node: string;
  memoryGiB: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    node: process.version,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}
