/**
 * `guillotine ops arm LEVEL`: enters decapitation or immolation. Irreversible, so it asks for
 * three independent things: the controller id typed back (--confirm), a quorum of operator
 * signatures, and the physical arm input, which it waits for before submitting anything.
 */
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { sleepMs, systemTimers } from "../../kit/timers.ts";
import { LEVEL_DECAPITATION } from "../../protocol/constants.ts";
import type { OpsClient } from "../client.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, positiveInteger } from "../connect.ts";
import { checkAuthTargets, confirmLevel, gatherSignatures, levelArgument, submitSignatures } from "../quorum.ts";
import { authArguments, AUTH_HELP, AUTH_OPTIONS } from "./auth-arguments.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "enter decapitation or immolation: quorum plus the physical arm input";

export const help = `usage: guillotine ops arm LEVEL --confirm ID [--auth LINE]... [--auth-file FILE] [options]

LEVEL is decapitation (4) or immolation (5). These pulse destructive outputs and never clear
in firmware. The command:
  1. refuses unless --confirm repeats the controller's id (it connects first to read it);
  2. takes k AUTH lines (--auth/--auth-file for a challenge issued with
     \`guillotine ops challenge LEVEL\`, or asks a new challenge and reads them from stdin);
  3. waits, polling STATUS, until the arm input (key switch) reads active, up to --wait-s;
     nothing is submitted before that, so walking away changes nothing;
  4. submits the signatures at once; the controller checks the arm input again when the
     quorum completes (ERR ARM if it was released: nothing happens, the challenge is used up);
  5. confirms from STATUS that the controller reports LEVEL.

options:
  --confirm ID      the controller id, typed back to confirm
  --wait-s N        how long to wait for the arm input (default 120)
${AUTH_HELP}
${CONNECTION_HELP}
exit codes: 0 entered and confirmed, 1 arm input not seen or not confirmed, 2 usage,
            3 --auth-file unreadable, 4 unreachable, 5 refused (ERR ARM, a signature, the challenge)`;

const ARM_POLL_MS = 250;

async function waitForArmInput(client: OpsClient, waitS: number, log: (line: string) => void): Promise<void> {
  const deadlineMs = systemTimers.nowMs() + waitS * 1000;
  log(`waiting up to ${waitS} s for the arm input on ${client.hello.id}: turn the arm key now (Ctrl-C aborts)`);
  while (systemTimers.nowMs() < deadlineMs) {
    if ((await client.ask("STATUS", "STATUS")).inputs.arm) {
      log("arm input active");
      return;
    }
    await sleepMs(systemTimers, ARM_POLL_MS);
  }
  throw new CommandError(EXIT_FAILED, `the arm input was not active within ${waitS} s: nothing was submitted; the challenge stays valid until it expires`);
}

export async function run(argv: string[]): Promise<number> {
  const options = { ...CONNECTION_OPTIONS, ...AUTH_OPTIONS, confirm: { type: "string" }, "wait-s": { type: "string", default: "120" } } as const;
  const { values, positionals } = parseCommandArgs(argv, options, 1);
  const target = levelArgument(positionals[0]);
  if (target < LEVEL_DECAPITATION) throw new CommandError(EXIT_USAGE, `arm is only for decapitation and immolation; for ${describeLevel(target)} use raise or restore`);
  const waitS = positiveInteger(values["wait-s"], "--wait-s");
  const auth = authArguments(values);
  const log = (line: string): void => console.error(line);
  await withClient(values, async (client) => {
    const id = client.hello.id;
    if (values.confirm !== id) {
      throw new CommandError(EXIT_USAGE, `this would put ${id} into ${describeLevel(target)}: irreversible, destructive outputs are pulsed. ` +
        `If that is what you mean, repeat with --confirm ${id}`);
    }
    const lines = await gatherSignatures(client, target, auth, process.stdin, log);
    checkAuthTargets(lines, id, target);
    await waitForArmInput(client, waitS, log);
    await submitSignatures(client, lines, log);
    const status = await confirmLevel(client, target);
    if (values.json) console.log(JSON.stringify({ ok: true, id, level: status.level, cause: status.cause }));
    else console.log(`${id} is at ${describeLevel(status.level)} (cause ${status.cause})`);
  });
  return EXIT_OK;
}
