/**
 * Test-only: a real Mosquitto (Debian package) on a free loopback port, started from a
 * throwaway configuration and stopped by the caller.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Mosquitto {
  port: number;
  url: string;
  stop(): void;
}

/** A loopback TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const LISTEN_TIMEOUT_MS = 10_000;

/** Resolves once a TCP connection to the loopback `port` succeeds; rejects after `timeoutMs`. */
async function waitForListener(port: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > timeoutMs) throw new Error(`mosquitto did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startMosquitto(): Promise<Mosquitto> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), "mosquitto-"));
  const configPath = join(folder, "mosquitto.conf");
  writeFileSync(configPath, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child = spawn("mosquitto", ["-c", configPath], { stdio: "ignore" });
  const failed = new Promise<never>((_, reject) => {
    child.on("error", (error) => reject(new Error(`cannot start mosquitto (${error.message}): apt-get install mosquitto`)));
    child.on("exit", (code) => reject(new Error(`mosquitto exited with ${code} before listening on port ${port}`)));
  });
  // Callers connect at once (the bridge gives up on a refused first connection), so return only once it listens.
  await Promise.race([waitForListener(port, LISTEN_TIMEOUT_MS), failed]);
  // From here on an exit is the caller's stop().
  failed.catch(() => {});
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop() {
      child.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
