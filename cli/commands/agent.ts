/** `guillotine agent ...`: dispatches to attester/commands/. */
import type { Command } from "../../kit/command/command.ts";
import { dispatchSubcommand, subcommandHelp } from "../../kit/command/subcommands.ts";
import * as measure from "../../attester/commands/measure.ts";
import * as request from "../../attester/commands/request.ts";
import * as runCommand from "../../attester/commands/run.ts";

const TABLE: Record<string, Command> = { run: runCommand, request, measure };
const INTRO = "The host attester: signed heartbeats to the controller, escalation requests from the hypervisor.";

export const summary = "host attester: run, request a higher level, measure this host";
export const help = subcommandHelp("agent", INTRO, TABLE);

export function run(argv: string[]): Promise<number> {
  return dispatchSubcommand("agent", TABLE, argv, INTRO);
}
