/**
 * Test-only: a socat pty pair (ESPRUINO.md section 5). Each end is opened by path with
 * serialport, like a real UART; stopping socat makes the ports vanish as an unplug would.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface PtyPair {
  a: string;
  b: string;
  /** Kills socat (the links vanish) and waits for it to exit. */
  stop(): Promise<void>;
}

const LINK_WAIT_MS = 5000;

/** Starts socat with links `<folder>/<name>-a` and `-b`; resolves once both exist. */
export async function startPtyPair(folder: string, name: string): Promise<PtyPair> {
  const a = join(folder, `${name}-a`);
  const b = join(folder, `${name}-b`);
  const child: ChildProcess = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: "ignore" });
  const started = Date.now();
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() - started > LINK_WAIT_MS) {
      child.kill();
      throw new Error("socat did not create the pty links (is socat installed?)");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    a,
    b,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
