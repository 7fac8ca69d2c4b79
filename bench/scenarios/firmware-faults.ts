/**
 * Faults inside the controller: a hung interpreter is reset by the hardware watchdog (DESIGN 6)
 * and boots at least offline (every boot is a doubt) with every path open; an interpreter error flag trips
 * (DESIGN 4); a corrupt or missing configuration boots offline, cause config, and refuses
 * everything that could close a path.
 */
import { LEVEL_OFFLINE } from "../../protocol/constants.ts";
import { coilOffAt, relaysOf } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/**
 * A hang right after a heartbeat: only the watchdog can open the paths now, and it must do so
 * before the heartbeat deadline passes, at standard and at probation's tighter deadline.
 */
function watchdog(probation: boolean): Scenario {
  return {
  id: probation ? "watchdog-starvation-probation" : "watchdog-starvation",
  title: `a hung firmware${probation ? " at probation" : ""} stops kicking the watchdog: reset within its timeout, paths open before the heartbeat deadline, boots at least offline`,
  requirements: ["SR-6", "SR-1", "SR-2", "SR-4"],
  needs: ["faults"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    if (probation) {
      session.heartbeat({ level: 1 });
      await target.waitUntil(() => session.level === 1, 500);
    }
    session.stopHeartbeats();
    const last = session.heartbeat();
    await target.wait(last.arrivesAtMs - target.nowMs() + 1);
    const levelBefore = session.level;
    const hungMs = target.nowMs();
    await target.inject({ kind: "firmware-hang" });
    await target.waitUntil(() => target.timeline.first("boot", hungMs) !== undefined, target.watchdogMs + 500);
    const boot = target.timeline.first("boot", hungMs);
    context.check(boot?.cause === "watchdog", `expected a watchdog reset after the hang, got ${JSON.stringify(boot)}`);
    const offMs = coilOffAt(target, [...relaysOf(target, "network"), ...relaysOf(target, "power")], hungMs);
    context.check(offMs !== undefined && offMs - hungMs <= target.watchdogMs + 1e-6, `coils must drop within the watchdog timeout (${target.watchdogMs} ms) of the hang; dropped after ${offMs === undefined ? "never" : (offMs - hungMs).toFixed(3)} ms`);
    if (offMs !== undefined) context.measure("hang to coil off (watchdog)", offMs - hungMs);
    await target.waitUntil(() => target.timeline.first("rx", boot?.atMs ?? hungMs, (e) => e.text.startsWith("HELLO ")) !== undefined, 1000);
    const hello = target.timeline.first("rx", boot?.atMs ?? hungMs, (e) => e.link === "host" && e.text.startsWith("HELLO "));
    context.check(hello !== undefined && Number(hello.text.split(" ")[5]) === Math.max(levelBefore, target.config.bootLevel), `after the reset the controller should boot at the higher of the persisted level ${levelBefore} and the boot level ${target.config.bootLevel}; said ${hello?.text}`);
    const overMs = (offMs ?? Infinity) - session.lastValidArrivalMs! - target.config.deadlineMs[levelBefore];
    context.check(overMs <= 1e-6, `a hang must not keep paths closed past the heartbeat deadline: coils dropped ${overMs.toFixed(3)} ms after it (watchdog ${target.watchdogMs} ms, deadline ${target.config.deadlineMs[levelBefore]} ms)`);
    context.measure("last heartbeat to coil off (hang)", (offMs ?? Infinity) - session.lastValidArrivalMs!);
  },
  };
}

const errorFlag: Scenario = {
  id: "error-flag-low-memory",
  title: "the interpreter's LOW_MEMORY flag trips to offline (cause errorflag)",
  requirements: ["SR-11"],
  needs: ["faults"],
  async run(context) {
    const { session, target } = context;
    await session.bringUp();
    const sinceMs = target.nowMs();
    await target.inject({ kind: "error-flag", flag: "LOW_MEMORY" });
    await target.waitUntil(() => session.level === LEVEL_OFFLINE, 500);
    context.check(target.timeline.received("host", sinceMs).includes("LEVEL 3 errorflag"), `expected LEVEL 3 errorflag, got ${JSON.stringify(target.timeline.received("host", sinceMs))}`);
  },
};

/** What an unconfigured controller must do: offline, cause config, refuse HB and CHAL, never close. */
async function expectUnconfigured(context: ScenarioContext): Promise<void> {
  const { session, target } = context;
  const hello = await session.sync("ops");
  context.check(hello?.frame.type === "HELLO" && hello.frame.id === "unprovisioned" && hello.frame.level === LEVEL_OFFLINE, `expected HELLO ... unprovisioned ... level 3, got ${JSON.stringify(hello?.frame)}`);
  const status = await session.request("ops", "STATUS\n", (frame) => frame.type === "STATUS");
  context.check(status?.frame.type === "STATUS" && status.frame.cause === "config", `expected STATUS cause config, got ${JSON.stringify(status?.frame)}`);
  const chal = await session.challenge(0);
  context.check(chal?.frame.type === "ERR" && chal.frame.code === "CONFIG", `CHAL must get ERR CONFIG, got ${JSON.stringify(chal?.frame)}`);
  const beat = await session.request("host", session.heartbeatText() + "\n", (frame) => frame.type === "ERR" || frame.type === "ACK");
  context.check(beat?.frame.type === "ERR" && beat.frame.code === "CONFIG", `HB must get ERR CONFIG, got ${JSON.stringify(beat?.frame)}`);
  session.startHeartbeats();
  await target.wait(2000);
  context.check(!target.paths().some(Boolean) && target.timeline.of("path").length === 0, "an unconfigured controller closed a path");
}

const corruptConfig: Scenario = {
  id: "config-corrupt",
  title: "a corrupted configuration file: boots offline, cause config, refuses HB and CHAL",
  requirements: ["SR-12"],
  needs: ["faults", "power"],
  async run(context) {
    const { target } = context;
    await target.power(false);
    await target.inject({ kind: "flash-corruption", file: "gcfg", bytes: 3 });
    await target.power(true);
    await target.wait(100);
    await expectUnconfigured(context);
  },
};

const unprovisioned: Scenario = {
  id: "config-missing",
  title: "no configuration file: boots offline, cause config, refuses HB and CHAL",
  requirements: ["SR-12"],
  needs: ["faults"],
  unprovisioned: true,
  async run(context) {
    await context.target.wait(100);
    await expectUnconfigured(context);
  },
};

export const FIRMWARE_FAULTS: Scenario[] = [watchdog(false), watchdog(true), errorFlag, corruptConfig, unprovisioned];
