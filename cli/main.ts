/**
 * `guillotine <command> ...`: only dispatches. Each command is a file in commands/ exporting
 * `summary` (one line), `help` (its --help text) and `run(argv) -> exit code`.
 */
import type { Command } from "../kit/command/command.ts";
import { EXIT_USAGE } from "../kit/command/exit-codes.ts";

const COMMANDS = ["agent", "keys", "provision", "ops", "sim", "flash", "bench"];

function usage(): string {
  return [
    "usage: guillotine <command> [options]",
    "",
    "commands: " + COMMANDS.join(", "),
    "Run `guillotine <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (!COMMANDS.includes(name)) {
    console.error(`guillotine: unknown command "${name}"\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const command = (await import(`./commands/${name}.ts`)) as Command;
  if (argv.includes("--help") || argv.includes("-h")) {
    if (argv.length === 2) {
      console.log(command.help);
      return 0;
    }
  }
  return command.run(argv.slice(1));
}
