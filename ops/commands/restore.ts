/** `guillotine ops restore LEVEL`: lowers the level with a quorum of operator signatures. */
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { LEVEL_DECAPITATION } from "../../protocol/constants.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { gatherSignatures, levelArgument, restoreLevel } from "../quorum.ts";
import { authArguments, AUTH_HELP, AUTH_OPTIONS } from "./auth-arguments.ts";
import { withClient } from "./run-with-client.ts";
import { systemTimers } from "../../kit/timers.ts";

export const summary = "lower the level with k operator signatures (quorum restore)";

export const help = `usage: guillotine ops restore LEVEL [--auth LINE]... [--auth-file FILE] [options]

Lowers the controller to LEVEL (name or 0-5). With --auth/--auth-file, submits those AUTH lines
(signatures over the challenge issued earlier by \`guillotine ops challenge LEVEL\`). Without
them, asks for a new challenge, shows what each operator must sign, and reads the AUTH lines
they produce from standard input, one per line. Every AUTH line names its controller and
level: a line for another controller or another level is refused before anything is sent.
Then polls STATUS: success means the controller reports LEVEL and, once a heartbeat was
accepted and the relay tests ran, every path reads back what LEVEL commands (network and
power closed and confirmed where allowed). A trip during the tests (cause relay), an F path
or paths still open after 5 s (no heartbeats) is a failure, named.

options:
${AUTH_HELP}
${CONNECTION_HELP}
exit codes: 0 restored and confirmed, 1 not confirmed or too few signatures, 2 usage,
            3 --auth-file unreadable, 4 unreachable, 5 refused (a signature, the challenge or the level)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...CONNECTION_OPTIONS, ...AUTH_OPTIONS }, 1);
  const target = levelArgument(positionals[0]);
  const auth = authArguments(values);
  const log = (line: string): void => console.error(line);
  await withClient(values, async (client) => {
    const current = (await client.ask("STATUS", "STATUS")).level;
    if (current >= LEVEL_DECAPITATION) {
      throw new CommandError(EXIT_USAGE, `${client.hello.id} is at ${describeLevel(current)}, which never clears in firmware: only re-commissioning (guillotine provision in maintenance mode) does`);
    }
    if (target >= current) {
      throw new CommandError(EXIT_USAGE, `restore lowers the level, and ${client.hello.id} is at ${describeLevel(current)}; to raise it use \`guillotine ops raise\``);
    }
    const lines = await gatherSignatures(client, target, auth, process.stdin, log);
    const status = await restoreLevel(client, target, lines, log, systemTimers);
    if (values.json) console.log(JSON.stringify({ ok: true, id: client.hello.id, level: status.level, cause: status.cause }));
    else console.log(`${client.hello.id} restored to ${describeLevel(status.level)} (cause ${status.cause})`);
  });
  return EXIT_OK;
}
