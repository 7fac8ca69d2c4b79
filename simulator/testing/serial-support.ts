/**
 * Helpers shared by the simulator's I/O tests: open a pty end with the real serialport, the
 * way the attester and operator tools do, and run the `guillotine` command as a user would.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SerialPort } from "serialport";

/** The repository root, where `bin/guillotine.mjs` and `dist/` are. */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CollectingPort {
  readonly port: SerialPort;
  /** Everything received so far, as a binary string. */
  received(): string;
  close(): Promise<void>;
}

/** Opens `path` with serialport (as the host tools would) and collects what arrives. */
export async function openCollecting(path: string): Promise<CollectingPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = "";
  port.on("data", (data: Buffer) => (received += data.toString("latin1")));
  return {
    port,
    received: () => received,
    close: () => (port.isOpen ? new Promise<void>((resolve) => port.close(() => resolve())) : Promise.resolve()),
  };
}

/** Runs `guillotine ARGS` as a user would, from the repository root. */
export function runGuillotine(args: string[], timeoutMs = 25_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/guillotine.mjs", ...args], { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += data));
    child.stderr.on("data", (data) => (stderr += data));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
