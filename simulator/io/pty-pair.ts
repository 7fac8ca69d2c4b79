/**
 * A virtual serial cable: two ptys joined by socat (docs/espruino.md section 5). Plain Node cannot make a
 * pty pair, and a pty is what the host attester and operator tools open by path with
 * serialport, exactly like /dev/ttyACM0.
 *
 *   socat -d -d pty,raw,echo=0,link=<dir>/<name>-board pty,raw,echo=0,link=<dir>/<name>
 *
 * `raw,echo=0` keeps bytes untouched (no echo, no \n -> \r\n). Links live in a directory the
 * caller makes per process, so parallel runs never collide. Close the serial handles on both
 * ends before close(): socat then exits and removes its links.
 *
 * Unlike a UART, a pty can lose the last bytes a peer writes if the peer closes its end before
 * socat has read them (seen under load). Peers that wait for a reply, as the protocol's
 * request/answer frames do, never notice.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { cleanupOnExit } from "./exit-cleanup.ts";

/** socat makes its links within a few ms; past this something is wrong. */
export const PTY_LINKS_WAIT_MS = 5000;
const PTY_LINKS_POLL_MS = 10;
/** After SIGTERM, socat removes its links and exits at once; past this it gets SIGKILL. */
export const SOCAT_EXIT_WAIT_MS = 2000;

export interface PtyPair {
  /** Link to the board's end (the simulator opens it). */
  readonly boardPath: string;
  /** Link to the peer's end: what the attester or operator tools open. */
  readonly peerPath: string;
  /** Stops socat and waits until it has exited and its links are gone. Safe to repeat. */
  close(): Promise<void>;
}

export const SOCAT_MISSING = "socat not found: apt-get install socat";

/** Starts socat and resolves once both links exist. */
export async function openPtyPair(options: { directory: string; name: string }): Promise<PtyPair> {
  const boardPath = join(options.directory, `${options.name}-board`);
  const peerPath = join(options.directory, options.name);
  const socat = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${boardPath}`, `pty,raw,echo=0,link=${peerPath}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  socat.stderr!.setEncoding("utf8").on("data", (text: string) => (log += text));
  const exited = new Promise<void>((resolve) => socat.once("close", () => resolve()));
  const spawnError = new Promise<Error>((resolve) => socat.once("error", resolve));
  // SIGTERM, not SIGKILL: socat then removes its links itself, even after we are gone.
  const forget = cleanupOnExit(() => socat.kill("SIGTERM"));

  const failure = await Promise.race([waitForLinks([boardPath, peerPath]), spawnError, exited.then(() => "exited" as const)]);
  if (failure !== undefined) {
    forget();
    await stopSocat(socat, exited, [boardPath, peerPath]);
    if (failure instanceof Error) {
      throw new Error((failure as NodeJS.ErrnoException).code === "ENOENT" ? SOCAT_MISSING : `cannot start socat: ${failure.message}`);
    }
    const reason = failure === "exited" ? `socat exited at once (${lastLine(log)})` : `socat made no pty links within ${PTY_LINKS_WAIT_MS} ms`;
    throw new Error(`${reason}: check that ${options.directory} exists and is writable`);
  }

  let closing: Promise<void> | undefined;
  return {
    boardPath,
    peerPath,
    close() {
      closing ??= stopSocat(socat, exited, [boardPath, peerPath]).finally(forget);
      return closing;
    },
  };
}

/** Resolves undefined once every path exists, or "timeout". */
async function waitForLinks(paths: string[]): Promise<"timeout" | undefined> {
  const deadline = Date.now() + PTY_LINKS_WAIT_MS;
  while (!paths.every((path) => existsSync(path))) {
    if (Date.now() > deadline) return "timeout";
    await sleep(PTY_LINKS_POLL_MS);
  }
  return undefined;
}

/** Stops socat (SIGTERM, then SIGKILL) and removes any link a killed socat left behind. */
async function stopSocat(socat: ChildProcess, exited: Promise<void>, links: string[]): Promise<void> {
  if (socat.pid !== undefined && socat.exitCode === null && socat.signalCode === null) {
    socat.kill("SIGTERM");
    const timer = setTimeout(() => socat.kill("SIGKILL"), SOCAT_EXIT_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }
  for (const link of links) rmSync(link, { force: true });
}

function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] || "no output";
}
