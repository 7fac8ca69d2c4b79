/**
 * The operator tools' own Link and Timers on a bench target's ops link and clock, so a
 * scenario can run the real `guillotine ops` code (ops/quorum.ts, ops/client.ts) against the
 * controller under test, in the target's time.
 */
import type { Timers } from "../../kit/timers.ts";
import type { Link } from "../../kit/transport/link.ts";
import type { Target } from "../targets/target.ts";

export function targetTimers(target: Target): Timers {
  return {
    nowMs: () => target.nowMs(),
    after(delayMs, callback) {
      const stop = target.every(Math.max(delayMs, 0.001), () => {
        stop();
        callback();
      });
      return stop;
    },
    every: (periodMs, callback) => target.every(periodMs, callback),
  };
}

export function targetOpsLink(target: Target): Link {
  const handlers: ((text: string) => void)[] = [];
  let open = true;
  target.onLine((link, text) => {
    if (open && link === "ops") for (const handler of handlers) handler(text);
  });
  return {
    writeLine(text) {
      if (!open) return false;
      target.send("ops", text + "\n");
      return true;
    },
    onLine: (handler) => handlers.push(handler),
    onClose: () => {},
    async close() {
      open = false;
    },
  };
}

/** Slices of target time between which the tools' promise continuations run. */
const STEP_MS = 1;

/**
 * Runs `work` while letting target time pass: a virtual clock only moves when waited on, and
 * the tools' `await`s resume only between two waits, so time goes in small steps.
 */
export async function whileRunning<T>(target: Target, work: Promise<T>, maxMs: number): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => {});
  const endMs = target.nowMs() + maxMs;
  while (!settled && target.nowMs() < endMs) {
    await target.waitUntil(() => settled, STEP_MS);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!settled) throw new Error(`the operator tool did not finish within ${maxMs} ms of target time`);
  return done;
}
