/**
 * `guillotine sim --pair` as a child process, as a user starts it: its own event loop keeps
 * both boards' real-time timers away from whatever the parent does (a test runner, the bench).
 * Resolves with the endpoints it prints; stop() ends it with SIGTERM, as Ctrl-C would.
 */
import { spawn } from "node:child_process";
import type { BenchPairEndpoints } from "../bench-pair.ts";
import { REPOSITORY_ROOT } from "./test-support.ts";

export interface PairProcess {
  endpoints: BenchPairEndpoints;
  /** What the pair printed on stderr so far (firmware diagnostics). */
  stderr(): string;
  stop(): Promise<void>;
}

const START_WAIT_MS = 20_000;

export function startPairProcess(args: string[]): Promise<PairProcess> {
  const child = spawn(process.execPath, ["bin/guillotine.mjs", "sim", "--pair", "--json", ...args], { cwd: REPOSITORY_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (data) => (stderr += data));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`guillotine sim --pair printed no endpoints within ${START_WAIT_MS} ms: ${stderr.trim()}`));
    }, START_WAIT_MS);
    child.once("error", reject);
    void exited.then(() => reject(new Error(`guillotine sim --pair exited before it was ready: ${stderr.trim()}`)));
    child.stdout.on("data", (data) => {
      stdout += data;
      const end = stdout.indexOf("\n");
      if (end < 0) return;
      clearTimeout(timer);
      resolve({ endpoints: JSON.parse(stdout.slice(0, end)) as BenchPairEndpoints, stderr: () => stderr, stop });
    });
  });
}
