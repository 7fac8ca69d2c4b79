/**
 * `make demo`: the whole story on the simulated board, with the real tools.
 *
 *   node_modules/.bin/tsx demo/demo.ts [--interactive] [--seed N]
 *
 * Builds a lab (keys, provisioning in maintenance mode, the attester, the MQTT bridge), runs the
 * story (demo/story.ts), prints a summary table and exits 0 only when every step went as
 * expected. --interactive then keeps the lab running, with single keys to inject faults.
 * Every child process, pty and temporary file is removed at the end, on Ctrl-C too.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LEVEL_NAMES } from "../protocol/constants.ts";
import type { BoardWatch, WatchEvent } from "./board-watch.ts";
import { REPO } from "./children.ts";
import { interact } from "./interactive.ts";
import { Lab, ms } from "./lab.ts";
import { Story } from "./story.ts";
import { summaryTable } from "./summary.ts";
import { Terminal } from "./terminal.ts";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const USAGE = `usage: tsx demo/demo.ts [--interactive] [--seed N] [--board ID]

Runs the Guillotine story on a simulated board with the real tools and checks each step.
  --interactive   after the story, keep running: single keys inject faults and press inputs
  --seed N        the simulator's seed (relay bounce, noise); default 1
  --board ID      board profile (default PICO); needs dist/firmware-ID.js (make build BOARD=ID)
exit codes: 0 every step as expected, 1 a step failed, 2 usage or missing firmware`;

function options(): { interactive: boolean; seed: number; board: string } {
  try {
    const { values } = parseArgs({
      options: { interactive: { type: "boolean", default: false }, seed: { type: "string", default: "1" }, board: { type: "string", default: "PICO" }, help: { type: "boolean", default: false } },
      allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
    return { interactive: values.interactive, seed, board: values.board };
  } catch (error) {
    console.error(`demo: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(EXIT_USAGE);
  }
}

/** One line per thing the board did. */
function describe(event: WatchEvent, watch: BoardWatch): string | undefined {
  switch (event.kind) {
    case "hello":
      if (!event.greeting) return undefined;
      return `controller says HELLO: ${event.id}, firmware ${event.firmware}, level ${LEVEL_NAMES[event.level]}`;
    case "level": {
      // A deadline trip: how long after the last heartbeat the controller accepted.
      const lastBeat = watch.history.filter((other) => other.kind === "ack" && other.atMs <= event.atMs).at(-1);
      const after = event.cause === "deadline" && lastBeat !== undefined ? `, ${ms(event.atMs - lastBeat.atMs)} after the last heartbeat` : "";
      return `controller: LEVEL ${LEVEL_NAMES[event.level]} (cause ${event.cause}${after})`;
    }
    case "path":
      return event.conducting ? `${event.name} closed (start-up test passed, both relays confirmed)` : `${event.name} open`;
    case "input":
      return `board input ${event.input} ${event.active ? "active" : "released"}`;
    case "boot":
      return `board boots (${event.cause})`;
    case "refused":
      return `controller answered ERR ${event.code} on the ${event.link} link`;
    default:
      return undefined;
  }
}

async function main(): Promise<number> {
  const { interactive, seed, board } = options();
  const firmware = join(REPO, "dist", `firmware-${board}.js`);
  if (!existsSync(firmware)) {
    console.error(`demo: ${firmware} is missing: build it first with \`make build BOARD=${board}\` (make demo does)`);
    return EXIT_USAGE;
  }
  let lab: Lab | undefined;
  const terminal = new Terminal({ live: process.stdout.isTTY === true, status: () => lab?.status() });
  lab = new Lab({ firmware, board, seed, terminal });
  const current = lab;

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => (stopping ??= (async () => {
    terminal.close();
    await current.close();
  })());
  const onSignal = (signal: NodeJS.Signals): void => {
    terminal.event(`${signal}: stopping everything`);
    terminal.mute();
    void shutdown().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("exit", () => current.closeNow());

  terminal.say(terminal.bold("Guillotine demo: the physical fail-safe layer on a simulated board, with the real tools"));
  const story = new Story(current, terminal);
  try {
    terminal.heading("== setup: keys, board, provisioning (docs/operations.md sections 1-3)");
    await current.prepare();
    await current.startBoard();
    const watch = current.watch!;
    watch.onEvent((event) => {
      const text = describe(event, watch);
      if (text !== undefined) terminal.event(text);
    });
    await current.provision();
    await story.run();
  } catch (error) {
    terminal.event(terminal.bad(`setup failed: ${(error as Error).message}`));
    story.results.push({ step: "setup", expected: "provisioned, booted offline", observed: (error as Error).message, timeMs: 0, ok: false });
  }

  const passed = story.results.length > 0 && story.results.every((result) => result.ok);
  terminal.heading("== summary");
  for (const line of summaryTable(story.results)) terminal.say(line);
  terminal.say("");
  terminal.say(passed ? terminal.ok(`all ${story.results.length} steps as expected`) : terminal.bad("some steps did not go as expected"));

  if (interactive && current.watch !== undefined) await interact(current, terminal);
  await shutdown();
  return passed ? 0 : EXIT_FAILED;
}

// Everything is closed by now; exit even if a library left a timer behind.
process.exit(await main());
