/** `guillotine ops ...`: dispatches to the operator tools in ops/commands/. */
import type { Command } from "../../kit/command/command.ts";
import { dispatchSubcommand, subcommandHelp } from "../../kit/command/subcommands.ts";
import * as arm from "../../ops/commands/arm.ts";
import * as bridge from "../../ops/commands/bridge.ts";
import * as challenge from "../../ops/commands/challenge.ts";
import * as daemon from "../../ops/commands/daemon.ts";
import * as log from "../../ops/commands/log.ts";
import * as raise from "../../ops/commands/raise.ts";
import * as restore from "../../ops/commands/restore.ts";
import * as sign from "../../ops/commands/sign.ts";
import * as status from "../../ops/commands/status.ts";
import * as watch from "../../ops/commands/watch.ts";

const TABLE: Record<string, Command> = { status, watch, challenge, sign, restore, raise, arm, log, bridge, daemon };
const INTRO = "Operator tools on the controller's ops link. Levels are accepted by name or number (standard=0 ... immolation=5).";

export const summary = "operator tools: status, watch, challenge, sign, restore, raise, arm, log, bridge, daemon";
export const help = subcommandHelp("ops", INTRO, TABLE);

export function run(argv: string[]): Promise<number> {
  return dispatchSubcommand("ops", TABLE, argv, INTRO);
}
