/** `guillotine ops log ...`: dispatches to export and verify. */
import type { Command } from "../../kit/command/command.ts";
import { dispatchSubcommand, subcommandHelp } from "../../kit/command/subcommands.ts";
import * as logExport from "./log-export.ts";
import * as logVerify from "./log-verify.ts";

const TABLE: Record<string, Command> = { export: logExport, verify: logVerify };
const INTRO = "The controller's hash-chained event log.";

export const summary = "export the event log, or verify its hash chain";
export const help = subcommandHelp("ops log", INTRO, TABLE);

export function run(argv: string[]): Promise<number> {
  return dispatchSubcommand("ops log", TABLE, argv, INTRO);
}
