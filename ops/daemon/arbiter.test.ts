/**
 * The arbiter's routing rules on a scripted controller link (a narrow unit test of the relay
 * logic; the daemon's end-to-end tests run it on the simulated board's ops-link pty).
 */
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../simulator/clock.ts";
import type { Link } from "../../kit/transport/link.ts";
import { CLIENT_REQUESTS_MAX, LinkArbiter } from "./arbiter.ts";

const HELLO = "HELLO 1 c1 0.1.0 0123456789abcdef0123456789abcdef 3 0";

/** The controller's side: what the arbiter sent, and a way to answer or drop the link. */
function scriptedController() {
  const sent: string[] = [];
  let lineHandler: (text: string) => void = () => undefined;
  let closeHandler: (reason: Error | undefined) => void = () => undefined;
  const link: Link = {
    writeLine: (text) => {
      sent.push(text);
      return true;
    },
    onLine: (handler) => void (lineHandler = handler),
    onClose: (handler) => void (closeHandler = handler),
    close: async () => undefined,
  };
  const answer = (text: string): void => lineHandler(text);
  /** Answers the arbiter's own SYNC, sent before the first request on a new link and after a time-out. */
  const resync = (): void => {
    expect(sent.at(-1)).toBe("SYNC");
    answer(HELLO);
  };
  return { link, sent, answer, resync, drop: (why: string) => closeHandler(new Error(why)) };
}

function client(arbiter: LinkArbiter) {
  const link = arbiter.attach();
  const lines: string[] = [];
  const closed: string[] = [];
  link.onLine((text) => lines.push(text));
  link.onClose((reason) => closed.push(reason?.message ?? "closed"));
  return { link, lines, closed };
}

async function started() {
  const timers = new VirtualClock();
  const controller = scriptedController();
  const arbiter = new LinkArbiter({ open: async () => controller.link, timers, answerTimeoutMs: 500 });
  arbiter.start();
  await Promise.resolve();
  await Promise.resolve();
  expect(arbiter.isUp).toBe(true);
  return { timers, controller, arbiter };
}

describe("the ops-link arbiter", () => {
  it("sends one request at a time and gives each answer only to the client that asked", async () => {
    const { controller, arbiter } = await started();
    const a = client(arbiter);
    const b = client(arbiter);
    a.link.writeLine("STATUS");
    b.link.writeLine("LOG 0");
    controller.resync();
    expect(controller.sent).toEqual(["SYNC", "STATUS"]);
    controller.answer("STATUS 3 boot OOOO 0000 - 0 5 2");
    expect(controller.sent).toEqual(["SYNC", "STATUS", "LOG 0"]);
    controller.answer("LOGEND 0 00000000000000000000000000000000");
    expect(a.lines).toEqual(["STATUS 3 boot OOOO 0000 - 0 5 2"]);
    expect(b.lines).toEqual(["LOGEND 0 00000000000000000000000000000000"]);
  });

  it("gives an ERR to the asker only, and unasked LEVEL and HELLO frames to everyone", async () => {
    const { controller, arbiter } = await started();
    const a = client(arbiter);
    const b = client(arbiter);
    a.link.writeLine("CHAL 0");
    controller.resync();
    controller.answer("LEVEL 2 host");
    controller.answer("ERR RATE");
    expect(a.lines).toEqual(["LEVEL 2 host", "ERR RATE"]);
    expect(b.lines).toEqual(["LEVEL 2 host"]);
  });

  it("resynchronises after a time-out, so a late answer never reaches the next client, even one of the same type", async () => {
    const { timers, controller, arbiter } = await started();
    const a = client(arbiter);
    const b = client(arbiter);
    a.link.writeLine("CHAL 0");
    b.link.writeLine("CHAL 0");
    controller.resync();
    timers.advance(500);
    expect(controller.sent).toEqual(["SYNC", "CHAL 0", "SYNC"]);
    controller.answer("CHAL 0123456789abcdef0123456789abcdef 0 60 2"); // a's, late
    controller.answer("ERR RATE"); // still a's, or anyone's: not b's
    expect(arbiter.dropped).toBe(2);
    controller.answer(HELLO);
    expect(controller.sent.at(-1)).toBe("CHAL 0");
    controller.answer("CHAL fedcba9876543210fedcba9876543210 0 60 2");
    expect(b.lines).toEqual(["CHAL fedcba9876543210fedcba9876543210 0 60 2"]);
    expect(a.lines).toEqual([]);
  });

  it("closes a client that piles up requests, and keeps serving the others", async () => {
    const { controller, arbiter } = await started();
    const greedy = client(arbiter);
    const polite = client(arbiter);
    greedy.link.writeLine("STATUS");
    controller.resync();
    for (let count = 1; count <= CLIENT_REQUESTS_MAX; count++) greedy.link.writeLine("STATUS");
    expect(greedy.closed[0]).toMatch(/more than 4 requests waiting/);
    expect(greedy.link.writeLine("STATUS")).toBe(false);
    polite.link.writeLine("SYNC");
    controller.answer("STATUS 3 boot OOOO 0000 - 0 5 2"); // the greedy client's request already on the link
    controller.answer(HELLO);
    expect(polite.lines.at(-1)).toBe(HELLO);
  });

  it("closes every client with the reason when the controller link goes down, and refuses new ones meanwhile", async () => {
    const { controller, arbiter } = await started();
    const a = client(arbiter);
    a.link.writeLine("STATUS");
    controller.drop("port vanished");
    expect(a.closed).toEqual(["the controller link went down: port vanished"]);
    expect(() => arbiter.attach()).toThrow(/the controller link is down: port vanished/);
  });
});
