import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNotifier, socatAddress, watchdogPingPeriodMs } from "./sd-notify.ts";
import { waitFor } from "../kit/testing/wait-for.ts";

/**
 * Node cannot bind a Unix datagram socket either, so the test's "systemd" is socat bound with
 * UNIX-RECV: a real SOCK_DGRAM socket, printing each datagram it receives.
 */
function bindDatagramSocket(path: string) {
  const child = spawn("socat", ["-u", `UNIX-RECV:${path}`, "STDOUT"]);
  let received = "";
  child.stdout.on("data", (chunk: Buffer) => {
    received += chunk.toString();
  });
  return { child, received: () => received };
}

const children: Array<{ kill(): boolean }> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

describe("sd_notify", () => {
  it("delivers READY, STATUS and WATCHDOG as datagrams on NOTIFY_SOCKET", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "notify-")), "notify.sock");
    const systemd = bindDatagramSocket(path);
    children.push(systemd.child);
    await waitFor(() => existsSync(path), "the notify socket");
    const problems: string[] = [];
    const notifier = createNotifier({ NOTIFY_SOCKET: path }, (message) => problems.push(message));
    expect(notifier).toBeDefined();
    notifier?.send("READY=1");
    notifier?.send("STATUS=controller ctl-1 at standard");
    notifier?.send("WATCHDOG=1");
    await waitFor(() => systemd.received().includes("WATCHDOG=1\n"), "WATCHDOG=1");
    expect(systemd.received()).toBe("READY=1\nSTATUS=controller ctl-1 at standard\nWATCHDOG=1\n");
    notifier?.close();
    expect(problems).toEqual([]);
  });

  it("is absent without NOTIFY_SOCKET and reports a missing relay once", async () => {
    expect(createNotifier({}, () => undefined)).toBeUndefined();
    const problems: string[] = [];
    const failing = () => {
      const child = spawn("/nonexistent/socat", []);
      return child;
    };
    const notifier = createNotifier({ NOTIFY_SOCKET: "/run/x" }, (message) => problems.push(message), failing);
    notifier?.send("READY=1");
    await waitFor(() => problems.length > 0, "a reported problem");
    expect(problems).toEqual([expect.stringContaining("socat is not installed")]);
  });

  it("maps abstract socket names and derives the ping period from WATCHDOG_USEC", () => {
    expect(socatAddress("@/org/freedesktop/systemd1/notify/123")).toBe("ABSTRACT-SENDTO:/org/freedesktop/systemd1/notify/123");
    expect(socatAddress("/run/systemd/notify")).toBe("UNIX-SENDTO:/run/systemd/notify");
    expect(socatAddress("/run/a,b")).toHaveProperty("error");
    expect(watchdogPingPeriodMs({ WATCHDOG_USEC: "5000000" }, 10)).toBe(2500);
    expect(watchdogPingPeriodMs({ WATCHDOG_USEC: "5000000", WATCHDOG_PID: "11" }, 10)).toBeUndefined();
    expect(watchdogPingPeriodMs({}, 10)).toBeUndefined();
  });
});
