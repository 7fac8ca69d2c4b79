/**
 * E-stop and tamper (DESIGN 2 and 4): either trips to offline within a control cycle; while
 * held, no restore is possible; releasing it restarts nothing, however long heartbeats flow.
 */
import { LEVEL_OFFLINE, LEVEL_STANDARD } from "../../protocol/constants.ts";
import { coilOffAt, conducting, pathOpenAt, relaysOf } from "./helpers.ts";
import type { Scenario } from "./scenario.ts";

/** setWatch debounce (5 ms) plus one control step; a PNOZ-class relay must react within 15 ms. */
const INPUT_REACTION_MS_MAX = 15;

function stopInput(input: "estop" | "tamper"): Scenario {
  return {
    id: `${input}-trips-and-latches`,
    title: `${input} trips to offline within ${INPUT_REACTION_MS_MAX} ms; held, it blocks restore; released, it restores nothing`,
    requirements: ["SR-13", "SR-2"],
    needs: [input],
    async run(context) {
      const { session, target } = context;
      await session.bringUp();
      await target.press(input, true);
      // When the input changed (on a real bench the probe's own time of the write, not when the bench asked).
      const pressedMs = target.timeline.of("input").at(-1)!.atMs;
      await target.waitUntil(() => session.level === LEVEL_OFFLINE, 500);
      context.check(target.timeline.received("host", pressedMs).includes(`LEVEL 3 ${input}`), `expected LEVEL 3 ${input}`);
      const openMs = pathOpenAt(target, "power", pressedMs);
      await target.wait(INPUT_REACTION_MS_MAX);
      const reactionMs = (target.capabilities.has("coils") ? coilOffAt(target, relaysOf(target, "power"), pressedMs) : pathOpenAt(target, "power", pressedMs) ?? openMs);
      context.check(reactionMs !== undefined && reactionMs - pressedMs <= INPUT_REACTION_MS_MAX, `power must be cut within ${INPUT_REACTION_MS_MAX} ms of ${input}; took ${reactionMs === undefined ? "forever" : (reactionMs - pressedMs).toFixed(3) + " ms"}`);
      if (reactionMs !== undefined) context.measure(`${input} to power ${target.capabilities.has("coils") ? "coil off" : "path open"}`, reactionMs - pressedMs);
      const held = await session.challenge(LEVEL_STANDARD);
      context.check(held?.frame.type === "ERR" && held.frame.code === "LEVEL", `CHAL 0 while ${input} is held must get ERR LEVEL, got ${JSON.stringify(held?.frame)}`);
      await target.press(input, false);
      await target.wait(3000);
      context.check(session.level === LEVEL_OFFLINE && !conducting(target, "network") && !conducting(target, "power"), `releasing ${input} must restart nothing; level ${session.level}, paths ${target.paths().join(",")}`);
      const refused = await session.quorum(LEVEL_STANDARD, [0, 1]);
      context.check(refused === undefined, `after release, a quorum restore should work; got ${refused}`);
      context.check(await session.awaitService(), `after release and restore, heartbeats should close the paths again within ${session.serviceWithinMs()} ms; paths ${target.paths().join(",")}`);
    },
  };
}

const inputDuringRestore: Scenario = {
  id: "estop-during-restore",
  title: "an e-stop pressed between challenge and quorum makes the quorum fail (ERR LEVEL)",
  requirements: ["SR-13", "SR-3"],
  needs: ["estop"],
  async run(context) {
    const { session, target } = context;
    await session.sync();
    const challenge = await session.challenge(LEVEL_STANDARD);
    if (challenge?.frame.type !== "CHAL") return context.check(false, `no challenge: ${JSON.stringify(challenge?.frame)}`);
    await target.press("estop", true);
    await target.wait(50);
    await session.auth(session.authText(challenge.frame.nonce, 0, 0));
    const last = await session.auth(session.authText(challenge.frame.nonce, 0, 1));
    const failed = (last?.frame.type === "ERR" && last.frame.code === "LEVEL") || session.level === LEVEL_OFFLINE;
    await target.wait(200);
    context.check(failed && session.level === LEVEL_OFFLINE, `a quorum completed with the e-stop held must not lower the level; got ${JSON.stringify(last?.frame)}, level ${session.level}`);
    await target.press("estop", false);
  },
};

export const INPUTS: Scenario[] = [stopInput("estop"), stopInput("tamper"), inputDuringRestore];
