/**
 * The real `guillotine` command as child processes: one-shot commands (keys, provision, ops,
 * agent request) and daemons (agent run, ops bridge). Every child is tracked so the demo can
 * end them all, by their own pid, however it stops.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { LineSplitter } from "../protocol/line-splitter.ts";

export const REPO = join(import.meta.dirname, "..");
const CLI = join(REPO, "bin", "guillotine.mjs");
/** After SIGTERM a daemon gets this long to stop in order before SIGKILL. */
const STOP_WAIT_MS = 3000;
/** A child's output line (a JSON snapshot at most) is far shorter; the cap only bounds memory. */
const OUTPUT_LINE_CHARS_MAX = 1 << 20;

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Daemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL if it has not ended within STOP_WAIT_MS. */
  stop(): Promise<number | string>;
  /** Sends `signal` now and waits for the end. */
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

export interface LineHandlers {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

export class Children {
  private readonly live = new Set<ChildProcess>();

  /** Runs `guillotine ARGS...` to completion. */
  run(args: string[], handlers: LineHandlers = {}, timeoutMs = 30_000): Promise<CommandResult> {
    const child = this.spawn(args, handlers);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.on("data", (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`guillotine ${args.slice(0, 2).join(" ")} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  /** Starts a long-running `guillotine ARGS...`. */
  start(args: string[], handlers: LineHandlers = {}): Daemon {
    const child = this.spawn(args, handlers);
    let running = true;
    const exited = new Promise<number | string>((resolve) => {
      child.once("close", (code, signal) => {
        running = false;
        resolve(code ?? signal ?? "?");
      });
      child.once("error", (error) => {
        running = false;
        resolve(error.message);
      });
    });
    return {
      child,
      pid: child.pid ?? -1,
      exited,
      get running() {
        return running;
      },
      async stop() {
        if (!running) return exited;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_WAIT_MS);
        const result = await exited;
        clearTimeout(timer);
        return result;
      },
      async kill(signal) {
        if (running) child.kill(signal);
        return exited;
      },
    };
  }

  /** Ends every child still running: SIGTERM, then SIGKILL for those that linger. */
  async stopAll(): Promise<void> {
    const children = [...this.live];
    for (const child of children) child.kill("SIGTERM");
    const deadline = Date.now() + STOP_WAIT_MS;
    while (this.live.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const child of this.live) child.kill("SIGKILL");
  }

  /** Last resort on process exit (synchronous): SIGKILL whatever is left. */
  killAllNow(): void {
    for (const child of this.live) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  private spawn(args: string[], handlers: LineHandlers): ChildProcess {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    this.live.add(child);
    child.once("close", () => this.live.delete(child));
    child.once("error", () => this.live.delete(child));
    for (const [stream, onLine] of [[child.stdout!, handlers.stdout], [child.stderr!, handlers.stderr]] as const) {
      stream.setEncoding("utf8");
      if (onLine === undefined) continue;
      const lines = new LineSplitter((line) => {
        if (line.trim() !== "") onLine(line);
      }, OUTPUT_LINE_CHARS_MAX);
      stream.on("data", (text: string) => lines.feed(text));
      stream.on("end", () => lines.end());
    }
    return child;
  }
}
