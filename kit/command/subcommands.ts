/**
 * Dispatch for commands with subcommands (`guillotine ops status`, `guillotine agent run`):
 * like main.ts, it only picks the file and hands over the arguments.
 */
import type { Command } from "./command.ts";
import { EXIT_USAGE } from "./exit-codes.ts";
import { runReportingErrors } from "./command-error.ts";

export type SubcommandTable = Record<string, Command>;

/** The help text listing each subcommand with its summary. */
export function subcommandHelp(name: string, intro: string, table: SubcommandTable): string {
  const lines = [`usage: guillotine ${name} <subcommand> [options]`, "", intro, "", "subcommands:"];
  for (const [sub, command] of Object.entries(table)) lines.push(`  ${sub.padEnd(12)} ${command.summary}`);
  lines.push("", `Run \`guillotine ${name} <subcommand> --help\` for its options.`);
  return lines.join("\n");
}

export async function dispatchSubcommand(name: string, table: SubcommandTable, argv: string[], intro: string): Promise<number> {
  const sub = argv[0];
  if (sub === undefined || sub === "--help" || sub === "-h") {
    console.log(subcommandHelp(name, intro, table));
    return sub === undefined ? EXIT_USAGE : 0;
  }
  const command = Object.hasOwn(table, sub) ? table[sub] : undefined;
  if (command === undefined) {
    console.error(`guillotine ${name}: unknown subcommand "${sub}"; one of: ${Object.keys(table).join(", ")}`);
    return EXIT_USAGE;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(command.help);
    return 0;
  }
  return runReportingErrors(`${name} ${sub}`, () => command.run(argv.slice(1)));
}
