import { describe, expect, it } from "vitest";
import { VirtualClock } from "../simulator/clock.ts";
import type { Link } from "../kit/transport/link.ts";
import { ControllerMonitor } from "./monitor.ts";
import type { MonitorEvent } from "./monitor.ts";

/** A link whose peer the test plays: `sent` holds our lines, `reply` delivers the peer's. */
function scriptedLink() {
  const sent: string[] = [];
  let deliver: (text: string) => void = () => undefined;
  const link: Link = {
    writeLine: (text) => {
      sent.push(text);
      return true;
    },
    onLine: (handler) => {
      deliver = handler;
    },
    onClose: () => undefined,
    close: async () => undefined,
  };
  return { link, sent, reply: (text: string) => deliver(text) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("ControllerMonitor", () => {
  it("SYNCs, then polls STATUS, and reports a controller that stops answering", async () => {
    const timers = new VirtualClock();
    const peer = scriptedLink();
    const events: MonitorEvent[] = [];
    const monitor = new ControllerMonitor({ open: async () => peer.link, timers, pollMs: 100, onEvent: (event) => events.push(event) });
    monitor.start();
    await settle();
    expect(peer.sent).toEqual(["SYNC"]);
    peer.reply(`HELLO 2 ctl-1 1.0 ${"a".repeat(32)} 3 0 np`);
    peer.reply("STATUS 3 boot OO 0000 - 0 1 1 0 0");
    expect(await monitor.waitForHello(10)).toMatchObject({ id: "ctl-1" });
    timers.advance(100);
    expect(peer.sent.at(-1)).toBe("STATUS");
    timers.advance(400);
    expect(events.map((event) => event.type)).toEqual(["link", "link", "hello", "status", "silent"]);
    expect(monitor.hello).toBeUndefined();
    timers.advance(100);
    expect(peer.sent.at(-1)).toBe("SYNC");
    await monitor.stop();
  });
});
