/**
 * The systemd notification protocol (sd_notify(3)): "READY=1", "WATCHDOG=1", "STATUS=..."
 * sent as datagrams to the AF_UNIX SOCK_DGRAM socket named by $NOTIFY_SOCKET.
 *
 * Node cannot send on a Unix datagram socket: `dgram` knows only UDP, and `net.connect` to
 * the socket fails with EPROTOTYPE (checked on Node 20). So one long-lived `socat` child
 * relays our standard-input writes as datagrams. Long-lived matters: systemd attributes each
 * datagram to the sender's PID, and a short-lived sender (a `systemd-notify` per message)
 * may exit before systemd looks it up, losing the message. Because socat is not the main
 * PID, the unit needs NotifyAccess=all. Each message ends with "\n"; two messages merged
 * into one datagram are still valid, as sd_notify allows newline-separated assignments.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export interface Notifier {
  /** Sends one assignment, e.g. "READY=1". Never throws; a dead relay is reported once. */
  send(assignment: string): void;
  close(): void;
}

export type Spawn = (command: string, args: string[]) => ChildProcess;

/** socat's address for the socket: abstract names start with "@" in $NOTIFY_SOCKET. */
export function socatAddress(notifySocket: string): string | { error: string } {
  const abstract = notifySocket.startsWith("@");
  const name = abstract ? notifySocket.slice(1) : notifySocket;
  // socat parses ':' ',' '!' as address syntax; systemd never uses them in this path.
  if (name === "" || /[:,!\\]/.test(name)) return { error: `NOTIFY_SOCKET "${notifySocket}" holds characters socat cannot take` };
  return (abstract ? "ABSTRACT-SENDTO:" : "UNIX-SENDTO:") + name;
}

/** Half the watchdog period systemd asked for (WATCHDOG_USEC), or undefined when none. */
export function watchdogPingPeriodMs(env: NodeJS.ProcessEnv, pid: number = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/**
 * A notifier for $NOTIFY_SOCKET, or undefined when not run by systemd with Type=notify.
 * `onProblem` hears, once, why notifications stopped (e.g. socat missing).
 */
export function createNotifier(env: NodeJS.ProcessEnv, onProblem: (message: string) => void, spawnFn: Spawn = spawn): Notifier | undefined {
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === "") return undefined;
  const address = socatAddress(socket);
  if (typeof address !== "string") {
    onProblem(address.error);
    return undefined;
  }
  const child = spawnFn("socat", ["-u", "STDIN", address]);
  let alive = true;
  const fail = (message: string): void => {
    if (!alive) return;
    alive = false;
    onProblem(message);
  };
  child.on("error", (error: NodeJS.ErrnoException) =>
    fail(error.code === "ENOENT"
      ? "NOTIFY_SOCKET is set but socat is not installed (apt-get install socat), so systemd gets no READY or WATCHDOG"
      : `sd_notify relay failed: ${error.message}`));
  child.on("exit", (code) => fail(`sd_notify relay (socat) exited with code ${code}; systemd gets no more notifications`));
  child.stdin?.on("error", () => fail("sd_notify relay (socat) closed its input"));
  return {
    send(assignment) {
      if (alive) child.stdin?.write(assignment.replace(/\n/g, " ") + "\n");
    },
    close() {
      alive = false;
      child.stdin?.end();
    },
  };
}
