/** `guillotine ops raise LEVEL`: one operator raises the level, up to offline. */
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { LEVEL_SINGLE_AUTHORITY_MAX } from "../../protocol/constants.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { askChallenge, confirmLevel, levelArgument, submitSignatures } from "../quorum.ts";
import { signChallenge } from "../signature.ts";
import { operatorIndex, operatorKey } from "./operator-key.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "raise the level (up to offline) with one operator's signature";

export const help = `usage: guillotine ops raise LEVEL --operator INDEX --key FILE [options]

Raising isolation is easy: any single operator may raise the level up to offline (3). This asks
a challenge for LEVEL, signs it with your key, submits it and checks STATUS. For decapitation
and immolation use \`guillotine ops arm\` (quorum and the physical arm input).

options:
  --operator INDEX  your index in the controller's operator list
  --key FILE        your operator key file (mode 0600)
${CONNECTION_HELP}
exit codes: 0 raised and confirmed, 1 not confirmed, 2 usage, 3 key file refused,
            4 unreachable, 5 refused`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...CONNECTION_OPTIONS, operator: { type: "string" }, key: { type: "string" } }, 1);
  const target = levelArgument(positionals[0]);
  if (target > LEVEL_SINGLE_AUTHORITY_MAX) {
    throw new CommandError(EXIT_USAGE, `${describeLevel(target)} is irreversible and needs a quorum and the arm input: use \`guillotine ops arm\``);
  }
  const operator = operatorIndex(values.operator);
  const key = operatorKey(values.key);
  const log = (line: string): void => console.error(line);
  await withClient(values, async (client) => {
    const current = (await client.ask("STATUS", "STATUS")).level;
    if (target <= current) {
      throw new CommandError(EXIT_USAGE, `${client.hello.id} is already at ${describeLevel(current)}; raise only raises (lowering: \`guillotine ops restore\`)`);
    }
    const challenge = await askChallenge(client, target);
    if (challenge.need !== 1) throw new CommandError(EXIT_FAILED, `the controller wants ${challenge.need} signatures for this raise; use \`guillotine ops restore\`-style quorum`);
    await submitSignatures(client, [signChallenge(challenge, operator, key)], log);
    const status = await confirmLevel(client, target);
    if (values.json) console.log(JSON.stringify({ ok: true, id: client.hello.id, level: status.level, cause: status.cause }));
    else console.log(`${client.hello.id} raised to ${describeLevel(status.level)} (cause ${status.cause})`);
  });
  return EXIT_OK;
}
