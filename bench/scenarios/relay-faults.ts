/**
 * Confirmed, not assumed (DESIGN 5): a welded contact, an open coil or a stuck feedback input
 * makes feedback disagree with the command; the controller trips to offline (cause relay),
 * and the second relay in series keeps the path open. The faults are on the relays the real
 * bench's fault switches reach (PROBE.faultSwitches), so these run there too.
 */
import { LEVEL_OFFLINE, LEVEL_STANDARD } from "../../protocol/constants.ts";
import type { Fault } from "../../simulator/faults.ts";
import { pathsOf } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Waits for the relay trip and checks every network and power path is open afterwards. */
async function expectRelayTrip(context: ScenarioContext, sinceMs: number, what: string): Promise<void> {
  const { session, target } = context;
  await target.waitUntil(() => target.timeline.received("host", sinceMs).includes("LEVEL 3 relay"), 1000);
  context.check(target.timeline.received("host", sinceMs).includes("LEVEL 3 relay"), `${what}: expected LEVEL 3 relay, got ${JSON.stringify(target.timeline.received("host", sinceMs).filter((t) => t.startsWith("LEVEL")))}`);
  await target.wait(50);
  const paths = target.paths();
  const closed = [...pathsOf(target, "network"), ...pathsOf(target, "power")].filter((path) => paths[path]);
  context.check(closed.length === 0, `${what}: paths ${closed.join(",")} still conduct after the relay trip`);
  context.check(session.level === LEVEL_OFFLINE, `${what}: expected offline, controller says ${session.level}`);
}

function runningFault(id: string, title: string, fault: (context: ScenarioContext) => Fault, provoke: "trip" | "none"): Scenario {
  return {
    id, title, requirements: ["SR-7", "SR-1"], needs: ["relay-faults"],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      const sinceMs = target.nowMs();
      await target.inject(fault(context));
      // A weld shows only when the relay is told to release: trip the network by a wrong MAC.
      if (provoke === "trip") target.send("host", session.heartbeatText({ keyHex: "00".repeat(32) }) + "\n");
      await expectRelayTrip(context, sinceMs, title);
      // Only a weld still disagrees once every coil is off; an open coil or a feedback stuck at
      // "released" agrees with "open" again, so STATUS rightly shows O for them.
      if (provoke !== "trip") return;
      const status = await session.request("ops", "STATUS\n", (frame) => frame.type === "STATUS");
      context.check(status?.frame.type === "STATUS" && status.frame.paths.includes("F"), `STATUS should show F for the welded path, got ${JSON.stringify(status?.frame)}`);
    },
  };
}

const weldWhileOpen: Scenario = {
  id: "relay-weld-before-restore",
  title: "a relay welded while open fails the start-up test: a restore trips straight back, the path never conducts",
  requirements: ["SR-7"],
  needs: ["relay-faults"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const relay = 2 * pathsOf(target, "power")[0];
    await target.inject({ kind: "relay-welded", relay });
    await target.wait(200);
    const sinceMs = target.nowMs();
    const refused = await session.quorum(LEVEL_STANDARD, [0, 1]);
    context.note(`restore with a welded relay: ${refused ?? "accepted, then the supervision tripped"}`);
    session.startHeartbeats();
    await target.wait(1000);
    const conducted = target.timeline.first("path", sinceMs, (event) => event.conducting && event.path === relay >> 1);
    context.check(conducted === undefined, `the power path conducted at ${conducted?.atMs} ms with a welded relay (the other relay must keep it open)`);
    context.check(session.level === LEVEL_OFFLINE, `a welded relay must keep the controller offline; it says ${session.level}`);
  },
};

export const RELAY_FAULTS: Scenario[] = [
  runningFault("relay-weld-running", "a network relay welded while closed: the trip reveals it (cause relay), the series relay opens the path", (c) => ({ kind: "relay-welded", relay: 2 * pathsOf(c.target, "network")[0] }), "trip"),
  runningFault("relay-coil-open", "a power relay's coil goes open while closed: feedback disagrees, offline (cause relay)", (c) => ({ kind: "coil-open", relay: 2 * pathsOf(c.target, "power")[0] + 1 }), "none"),
  runningFault("relay-feedback-stuck", "a network relay's feedback sticks at 'released' while energised: offline (cause relay)", (c) => ({ kind: "feedback-stuck", relay: 2 * pathsOf(c.target, "network")[0], level: 1 }), "none"),
  weldWhileOpen,
];
