/** `guillotine ops challenge LEVEL`: asks the controller for a fresh challenge to sign. */
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK } from "../../kit/command/exit-codes.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { askChallenge, levelArgument, signingInstructions } from "../quorum.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "ask for a challenge for a target level, for operators to sign";

export const help = `usage: guillotine ops challenge LEVEL [options]

Asks the controller for a single-use challenge to move to LEVEL (a name or 0-5) and prints it
with the command each operator runs to sign it offline. A new challenge replaces the previous
one; it expires after the controller's challengeTtlS. Lowering needs the quorum k; raising up
to offline needs one signature; decapitation and immolation need k and the arm input.

options:
${CONNECTION_HELP}
exit codes: 0 issued, 2 usage, 4 unreachable, 5 refused (ERR LEVEL, ERR RATE, ...)`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, CONNECTION_OPTIONS, 1);
  const target = levelArgument(positionals[0]);
  await withClient(values, async (client) => {
    const challenge = await askChallenge(client, target);
    if (values.json) {
      console.log(JSON.stringify(challenge));
      return;
    }
    console.log(`challenge for ${challenge.id} to go to ${describeLevel(target)}: ${challenge.need} signature(s), valid ${challenge.ttlS} s`);
    for (const line of signingInstructions(challenge)) console.log(line);
  });
  return EXIT_OK;
}
