/**
 * The irreversible levels (DESIGN 3): decapitation and immolation need a quorum AND the arm
 * input at the moment the quorum completes; entering one pulses its actuator once (after the
 * relay test); they never clear in firmware, not by quorum, not by reboot.
 */
import { LEVEL_DECAPITATION, LEVEL_IMMOLATION, LEVEL_OFFLINE, LEVEL_STANDARD } from "../../protocol/constants.ts";
import { pathsOf } from "./helpers.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Conducting intervals of the paths of `kind` since `sinceMs`, as [start, end] pairs. */
function pulses(context: ScenarioContext, kind: string, sinceMs: number): [number, number][] {
  const paths = pathsOf(context.target, kind);
  const found: [number, number][] = [];
  let start: number | undefined;
  for (const event of context.target.timeline.of("path")) {
    if (event.atMs < sinceMs || !paths.includes(event.path)) continue;
    if (event.conducting && start === undefined) start = event.atMs;
    if (!event.conducting && start !== undefined) {
      found.push([start, event.atMs]);
      start = undefined;
    }
  }
  return found;
}

/** Pulses merged across contact bounce (closings bounce for a few ms). */
function merged(list: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const pulse of list) {
    const last = out.at(-1);
    if (last !== undefined && pulse[0] - last[1] < 10) last[1] = pulse[1];
    else out.push([...pulse]);
  }
  return out;
}

const withoutArm: Scenario = {
  id: "irreversible-without-arm",
  title: "a full quorum for decapitation without the arm input is consumed with ERR ARM and changes nothing",
  requirements: ["SR-10"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const sinceMs = target.nowMs();
    const refused = await session.quorum(LEVEL_DECAPITATION, [0, 1]);
    context.check(refused === "ERR ARM", `expected ERR ARM for decapitation without the arm input, got ${refused ?? "success"}`);
    await target.wait(1000);
    context.check(session.level === LEVEL_OFFLINE, `level must stay offline without the arm input; controller says ${session.level}`);
    context.check(pulses(context, "decapitation", sinceMs).length === 0, "the decapitation actuator conducted without the arm input");
  },
};

const withArm: Scenario = {
  id: "irreversible-with-arm",
  title: "armed quorum enters decapitation (one pulse), then immolation; nothing lowers them, not even a reboot",
  requirements: ["SR-10", "SR-2", "SR-7"],
  needs: ["arm", "power"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    await target.press("arm", true);
    const sinceMs = target.nowMs();
    const refused = await session.quorum(LEVEL_DECAPITATION, [1, 2]);
    context.check(refused === undefined, `an armed quorum for decapitation was refused: ${refused}`);
    await target.wait(target.config.pulseMs + 500);
    const decap = merged(pulses(context, "decapitation", sinceMs));
    context.check(decap.length === 1, `decapitation must pulse exactly once; saw ${JSON.stringify(decap)}`);
    const widthMs = decap.length === 1 ? decap[0][1] - decap[0][0] : 0;
    context.check(Math.abs(widthMs - target.config.pulseMs) <= 50, `the pulse should last pulseMs (${target.config.pulseMs} ms), lasted ${widthMs.toFixed(1)} ms`);
    for (const lower of [LEVEL_STANDARD, LEVEL_OFFLINE]) {
      const reply = await session.challenge(lower);
      context.check(reply?.frame.type === "ERR" && reply.frame.code === "LEVEL", `CHAL ${lower} at decapitation must be refused with ERR LEVEL, got ${JSON.stringify(reply?.frame)}`);
    }
    await target.power(false);
    await target.wait(500);
    const rebootMs = target.nowMs();
    await target.power(true);
    await target.waitUntil(() => target.timeline.first("rx", rebootMs, (e) => e.text.startsWith("HELLO")) !== undefined, 1000);
    context.check(session.level === LEVEL_DECAPITATION, `after a reboot the level must still be decapitation; controller says ${session.level}`);
    await target.wait(target.config.pulseMs + 500);
    context.check(pulses(context, "decapitation", rebootMs).length === 0, "the decapitation actuator pulsed again after the reboot");
    const immolate = await session.quorum(LEVEL_IMMOLATION, [0, 2]);
    context.check(immolate === undefined, `an armed quorum for immolation was refused: ${immolate}`);
    await target.wait(target.config.pulseMs + 500);
    context.check(merged(pulses(context, "immolation", rebootMs)).length === 1, "immolation must pulse exactly once");
    await target.press("arm", false);
  },
};

export const IRREVERSIBLE: Scenario[] = [withoutArm, withArm];
