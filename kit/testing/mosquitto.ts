/**
 * Test-only: a real Mosquitto (Debian package) on a free loopback port, started from a
 * throwaway configuration and stopped by the caller. With `secured`, it refuses anonymous
 * clients (a password file made with mosquitto_passwd) and speaks only TLS, with a
 * self-signed certificate for 127.0.0.1 made here with openssl.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Mosquitto {
  port: number;
  url: string;
  /** The certificate (its own CA) when secured. */
  caFile?: string;
  stop(): void;
}

export interface MosquittoSecurity {
  username: string;
  password: string;
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

/** The configuration lines that turn on passwords and TLS; files go to `folder`. */
function securityLines(folder: string, secured: MosquittoSecurity): string[] {
  const passwords = join(folder, "passwords");
  writeFileSync(passwords, "", { mode: 0o600 });
  execFileSync("mosquitto_passwd", ["-b", passwords, secured.username, secured.password]);
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", join(folder, "key.pem"), "-out", join(folder, "cert.pem"), "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  return [
    "allow_anonymous false", `password_file ${passwords}`,
    `certfile ${join(folder, "cert.pem")}`, `keyfile ${join(folder, "key.pem")}`,
    // Run as root (CI), mosquitto drops to its own user before reading these files: stay.
    ...(process.getuid?.() === 0 ? ["user root"] : []),
  ];
}

export async function startMosquitto(secured?: MosquittoSecurity): Promise<Mosquitto> {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), "mosquitto-"));
  const configPath = join(folder, "mosquitto.conf");
  const lines = [`listener ${port} 127.0.0.1`, "persistence false", ...(secured ? securityLines(folder, secured) : ["allow_anonymous true"])];
  writeFileSync(configPath, lines.join("\n") + "\n");
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
    url: `${secured ? "mqtts" : "mqtt"}://127.0.0.1:${port}`,
    caFile: secured ? join(folder, "cert.pem") : undefined,
    stop() {
      child.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
