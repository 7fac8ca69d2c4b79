/** `guillotine agent ...`: dispatches to host/agent/commands/. */
import type { Command } from "../main.ts";
import { dispatchSubcommand, subcommandHelp } from "../subcommands.ts";
import * as measure from "../../agent/commands/measure.ts";
import * as request from "../../agent/commands/request.ts";
import * as runCommand from "../../agent/commands/run.ts";

const TABLE: Record<string, Command> = { run: runCommand, request, measure };
const INTRO = "The host attester: signed heartbeats to the controller, escalation requests from the hypervisor.";

export const summary = "host attester: run, request a higher level, measure this host";
export const help = subcommandHelp("agent", INTRO, TABLE);

export function run(argv: string[]): Promise<number> {
  return dispatchSubcommand("agent", TABLE, argv, INTRO);
}
