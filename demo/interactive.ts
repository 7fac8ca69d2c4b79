/**
 * `--interactive`: after the story the lab keeps running, and single keys poke it. Each key
 * does what a person or a fault would do; what the controller makes of it shows up as events.
 */
import { LEVEL_NAMES } from "../protocol/constants.ts";
import { CONTROLLER_ID, type Lab, OPERATORS, QUORUM } from "./lab.ts";
import { MqttWatch } from "./mqtt-watch.ts";
import type { Terminal } from "./terminal.ts";

const KEYS = [
  ["e", "press / release the e-stop"],
  ["t", "open / close the tamper switch"],
  ["w", "weld / unweld relay A of net0 (its contact stays closed whatever the coil does)"],
  ["k", "kill the attester (SIGKILL) / start it again"],
  ["p", "the hypervisor asks for probation (guillotine agent request)"],
  ["r", `restore to standard with ${QUORUM} of the ${OPERATORS} operators`],
  ["s", "status: the board, and the bridge's retained MQTT state"],
  ["q", "quit (Ctrl-C too)"],
] as const;


export async function interact(lab: Lab, t: Terminal): Promise<void> {
  if (!process.stdin.isTTY) {
    t.say("--interactive needs a terminal on standard input; stopping.");
    return;
  }
  const board = lab.sim!.board;
  const toggles = { estop: false, tamper: false, weld: false };
  let pair = 0;
  let busy = false;

  const help = (): void => {
    t.heading("== interactive: keys");
    for (const [key, what] of KEYS) t.say(`  ${key}  ${what}`);
  };

  const status = async (): Promise<void> => {
    const watch = lab.watch!;
    t.event(`level ${watch.levelName()} (cause ${watch.cause}); attester ${lab.agentRunning ? "running" : "down"}`);
    for (const path of watch.paths()) t.say(`    ${path.name.padEnd(7)} ${path.conducting ? "closed" : "open  "}  relays ${path.relays.map((closed, index) => `${"AB"[index]} ${closed ? "closed" : "open"}`).join(", ")}`);
    const snapshot = board.snapshot();
    const welded = snapshot.relays.filter((relay) => relay.welded).map((relay) => `relay ${relay.index}`);
    if (welded.length > 0) t.say(`    welded: ${welded.join(", ")}`);
    const active = Object.entries(watch.inputs()).filter(([, on]) => on).map(([name]) => name);
    t.say(`    inputs: ${active.length === 0 ? "none active" : active.join(", ")}`);
    if (lab.brokerUrl !== undefined && lab.bridge?.running) {
      const retained = await MqttWatch.readRetained(lab.brokerUrl, `guillotine/${CONTROLLER_ID}/state`, 1500).catch(() => undefined);
      t.say(`    mqtt state (retained): ${retained?.payload ?? "none"}`);
      if (retained !== undefined) {
        const paths = (JSON.parse(retained.payload) as { paths: Record<string, string> }).paths;
        t.say(`    the controller's own view (STATUS): ${Object.entries(paths).map(([name, state]) => `${name} ${state}`).join(", ")}`);
      }
    }
  };

  const actions: Record<string, () => Promise<void> | void> = {
    e: () => {
      toggles.estop = !toggles.estop;
      t.event(toggles.estop ? "e-stop pressed" : "e-stop released (the level stays: a released stop never restarts anything)");
      board.press("estop", toggles.estop);
    },
    t: () => {
      toggles.tamper = !toggles.tamper;
      t.event(toggles.tamper ? "tamper switch: enclosure opened" : "tamper switch: enclosure closed again");
      board.press("tamper", toggles.tamper);
    },
    w: () => {
      toggles.weld = !toggles.weld;
      t.event(toggles.weld ? "relay A of net0 welded: its main contact stays closed, its mirror contact open" : "relay A of net0 repaired");
      board.inject({ kind: "relay-welded", relay: 0, active: toggles.weld });
    },
    k: async () => {
      if (lab.agentRunning) await lab.killAgent();
      else lab.startAgent();
    },
    p: async () => {
      if (!lab.agentRunning) {
        t.event("the attester is down: nobody to carry the request (press k first)");
        return;
      }
      await lab.request("probation", "asked from the demo keyboard").catch((error: Error) => t.event(t.bad(error.message)));
    },
    r: async () => {
      const operators = [[0, 1], [1, 2], [0, 2]][pair++ % 3];
      if ((lab.watch!.level ?? 0) === 0) {
        t.event(`already at ${LEVEL_NAMES[0]}: nothing to restore`);
        return;
      }
      await lab.restore(operators).catch((error: Error) => t.event(t.bad(error.message)));
    },
    s: status,
    "?": help,
    h: help,
  };

  help();
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.setEncoding("utf8");
  await new Promise<void>((resolve) => {
    const onKey = (data: string): void => {
      for (const key of data) {
        if (key === "q" || key === "\u0003" || key === "\u0004") {
          process.stdin.off("data", onKey);
          resolve();
          return;
        }
        const action = actions[key.toLowerCase()];
        if (action === undefined) continue;
        if (busy) {
          t.event(`busy with the previous key; "${key}" ignored`);
          continue;
        }
        busy = true;
        void (async () => {
          try {
            await action();
          } catch (error) {
            t.event(t.bad((error as Error).message));
          } finally {
            busy = false;
          }
        })();
      }
    };
    process.stdin.on("data", onKey);
  });
  process.stdin.setRawMode(false);
  process.stdin.pause();
  t.event("quitting");
}
