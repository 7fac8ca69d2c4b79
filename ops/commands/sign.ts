/** `guillotine ops sign`: an operator signs a challenge offline with their own key file. */
import { readInputFile } from "../../kit/input-file.ts";
import { NONCE_HEX_CHARS } from "../../protocol/constants.ts";
import { isControllerId } from "../../protocol/fields.ts";
import { isHex } from "../../protocol/hex.ts";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { operatorIndex, operatorKey } from "./operator-key.ts";
import { parseChallengeText, signChallenge } from "../signature.ts";
import type { Challenge } from "../signature.ts";
import { levelArgument } from "../quorum.ts";

export const summary = "sign a challenge offline with your operator key; prints the AUTH line";

export const help = `usage: guillotine ops sign --operator INDEX --key FILE (--id ID --nonce HEX --target LEVEL
                         | --challenge TEXT [--id ID] | --challenge-file FILE) [--json]

Computes your signature over the challenge (HMAC-SHA256 of "G2|id|AUTH|nonce|target" with your
key) and prints the AUTH line to hand to whoever submits the quorum. Needs no connection: run it
on the machine that holds your key. Check the controller id and target level before signing:
that is what you approve.

options:
  --operator INDEX        your index in the controller's operator list (0-based)
  --key FILE              your operator key file (mode 0600)
  --id ID                 the controller id
  --nonce HEX             the challenge nonce (32 hex digits)
  --target LEVEL          the challenge's target level (name or 0-5)
  --challenge TEXT        a "CHAL ..." line (with --id) or the JSON of \`ops challenge --json\`
  --challenge-file FILE   the same, read from FILE
  --json                  print {"line", "nonce", "operator", "signature"}
exit codes: 0 signed, 2 usage, 3 key file or --challenge-file refused`;

const OPTIONS = {
  operator: { type: "string" },
  key: { type: "string" },
  id: { type: "string" },
  nonce: { type: "string" },
  target: { type: "string" },
  challenge: { type: "string" },
  "challenge-file": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type Values = { id?: string; nonce?: string; target?: string; challenge?: string; "challenge-file"?: string };

function readChallengeFile(path: string): string {
  try {
    return readInputFile(path, "--challenge-file");
  } catch (error) {
    throw new CommandError(EXIT_CONFIG, (error as Error).message);
  }
}

function challengeFrom(values: Values): Challenge {
  const text = values["challenge-file"] !== undefined ? readChallengeFile(values["challenge-file"]) : values.challenge;
  if (text !== undefined) {
    const parsed = parseChallengeText(text, values.id);
    if ("error" in parsed) throw new CommandError(EXIT_USAGE, parsed.error);
    return parsed;
  }
  const { id, nonce, target } = values;
  if (id === undefined || nonce === undefined || target === undefined) {
    throw new CommandError(EXIT_USAGE, "give the challenge: --id, --nonce and --target, or --challenge / --challenge-file");
  }
  if (!isControllerId(id)) throw new CommandError(EXIT_USAGE, `--id "${id}" is not a controller id (1-16 of a-z, 0-9, '-')`);
  if (!isHex(nonce, NONCE_HEX_CHARS)) throw new CommandError(EXIT_USAGE, `--nonce must be ${NONCE_HEX_CHARS} lowercase hex digits`);
  return { id, nonce, target: levelArgument(target) };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const operator = operatorIndex(values.operator);
  const key = operatorKey(values.key);
  const challenge = challengeFrom(values);
  const auth = signChallenge(challenge, operator, key);
  if (values.json) console.log(JSON.stringify(auth));
  else {
    console.error(`signed: controller ${challenge.id}, target level ${challenge.target}, operator ${operator}`);
    console.log(auth.line);
  }
  return EXIT_OK;
}
