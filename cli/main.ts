/**
 * `guillotine <command> ...`: only dispatches. Each command is a module of the folder that does
 * its work, exporting `summary` (one line), `help` (its --help text) and `run(argv) -> exit
 * code`; commands with subcommands dispatch again (commands/).
 */
import type { Command } from "../kit/command/command.ts";
import { EXIT_USAGE } from "../kit/command/exit-codes.ts";

/** Each command, loaded only when it runs (a command's imports cost the others nothing). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  agent: () => import("./commands/agent.ts"),
  keys: () => import("../ops/keys/command.ts"),
  provision: () => import("../ops/provision/command.ts"),
  ops: () => import("./commands/ops.ts"),
  sim: () => import("./commands/sim.ts"),
  flash: () => import("../ops/flash/command.ts"),
  bench: () => import("./commands/bench.ts"),
};

function usage(): string {
  return [
    "usage: guillotine <command> [options]",
    "",
    "commands: " + Object.keys(COMMANDS).join(", "),
    "Run `guillotine <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`guillotine: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const command = await COMMANDS[name]();
  if (argv.includes("--help") || argv.includes("-h")) {
    if (argv.length === 2) {
      console.log(command.help);
      return 0;
    }
  }
  return command.run(argv.slice(1));
}
