/** `guillotine bench ...`: dispatches to the bench's commands in bench/cli/. */
import type { Command } from "../../kit/command/command.ts";
import { dispatchSubcommand, subcommandHelp } from "../../kit/command/subcommands.ts";
import * as all from "../../bench/cli/all.ts";
import * as fuzz from "../../bench/cli/fuzz.ts";
import * as probe from "../../bench/cli/probe.ts";
import * as runCommand from "../../bench/cli/run.ts";

const TABLE: Record<string, Command> = { run: runCommand, all, fuzz, probe };
const INTRO = "Safety scenarios, benchmarks and the protocol fuzzer, against the simulated board or a real one with the probe.";

export const summary = "bench: safety scenarios, benchmarks, fuzzer, probe";
export const help = subcommandHelp("bench", INTRO, TABLE);

export function run(argv: string[]): Promise<number> {
  return dispatchSubcommand("bench", TABLE, argv, INTRO);
}
