import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../simulator/clock.ts";
import { openPtyPair } from "../../simulator/io/pty-pair.ts";
import { systemTimers } from "../timers.ts";
import type { Link } from "./link.ts";
import { ReconnectingLink } from "./reconnect.ts";
import type { LinkState } from "./reconnect.ts";
import { openSerialLink } from "./serial.ts";
import { waitFor } from "../testing/wait-for.ts";

describe("ReconnectingLink with a fake clock", () => {
  it("doubles the wait after each failed open up to the cap, and resets after success", async () => {
    const timers = new VirtualClock();
    const states: LinkState[] = [];
    let failures = 4;
    let closeLink: (() => void) | undefined;
    const open = async (): Promise<Link> => {
      if (failures-- > 0) throw new Error("ENOENT");
      let onClose: (reason: Error | undefined) => void = () => undefined;
      closeLink = () => onClose(new Error("unplugged"));
      return { writeLine: () => true, onLine: () => undefined, onClose: (handler) => { onClose = handler; }, close: async () => undefined };
    };
    const link = new ReconnectingLink({ open, timers, onLine: () => undefined, onState: (state) => states.push(state), backoffMinMs: 100, backoffMaxMs: 300 });
    link.start();
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.advance(300);
    }
    await new Promise((resolve) => setImmediate(resolve));
    const waits = states.filter((state) => state.state === "down").map((state) => (state as { retryInMs: number }).retryInMs);
    expect(waits).toEqual([100, 200, 300, 300]);
    expect(link.isUp).toBe(true);
    closeLink?.();
    expect(states.at(-1)).toEqual({ state: "down", reason: "unplugged", retryInMs: 100 });
    expect(link.writeLine("x")).toBe(false);
    await link.stop();
  });
});

describe("ReconnectingLink over a real socat pty pair", () => {
  it("survives the port vanishing and coming back, and delivers lines both ways", async () => {
    const folder = mkdtempSync(join(tmpdir(), "reconnect-"));
    let pair = await openPtyPair({ directory: folder, name: "link" });
    const states: string[] = [];
    const received: string[] = [];
    const link = new ReconnectingLink({
      open: () => openSerialLink(pair.peerPath, 115200),
      timers: systemTimers,
      onLine: (text) => received.push(text),
      onState: (state) => states.push(state.state),
      backoffMinMs: 50,
      backoffMaxMs: 200,
    });
    link.start();
    await waitFor(() => link.isUp, "link up");
    let peer = await openSerialLink(pair.boardPath, 115200);
    const peerLines: string[] = [];
    peer.onLine((text) => peerLines.push(text));
    link.writeLine("SYNC");
    await waitFor(() => peerLines.includes("SYNC"), "SYNC at the peer");
    peer.writeLine("HELLO 1 x");
    await waitFor(() => received.includes("HELLO 1 x"), "HELLO at the link");

    await peer.close();
    await pair.close();
    await waitFor(() => states.at(-1) !== "up" && !link.isUp, "link down");
    expect(link.writeLine("SYNC")).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));

    pair = await openPtyPair({ directory: folder, name: "link" });
    await waitFor(() => link.isUp, "link up again");
    peer = await openSerialLink(pair.boardPath, 115200);
    peer.onLine((text) => peerLines.push(text));
    link.writeLine("STATUS");
    await waitFor(() => peerLines.includes("STATUS"), "STATUS after reconnect");
    expect(states.filter((state) => state === "up").length).toBe(2);
    await link.stop();
    await peer.close();
    await pair.close();
  });
});
