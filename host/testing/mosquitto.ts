/**
 * Test-only: a real Mosquitto (Debian package) on a free loopback port, started from a
 * throwaway configuration and stopped by the caller.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
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

export async function startMosquitto(): Promise<Mosquitto> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), "mosquitto-"));
  const configPath = join(folder, "mosquitto.conf");
  writeFileSync(configPath, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child = spawn("mosquitto", ["-c", configPath], { stdio: "ignore" });
  child.on("error", (error) => {
    throw new Error(`cannot start mosquitto (${error.message}): apt-get install mosquitto`);
  });
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop() {
      child.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
