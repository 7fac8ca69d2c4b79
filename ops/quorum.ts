/**
 * The steps shared by restore, raise and arm: get a challenge, gather operators' AUTH lines
 * (from the command line or pasted one per line), submit them, and confirm from STATUS that
 * the controller really is at the target level. Confirmed, not assumed.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { CommandError } from "../host/cli/command-error.ts";
import { EXIT_FAILED, EXIT_USAGE } from "../host/cli/exit-codes.ts";
import { describeLevel, parseLevelArgument } from "../host/levels.ts";
import type { OpsClient } from "./client.ts";
import { parseAuthLine } from "./signature.ts";
import type { AuthLine } from "./signature.ts";
import type { Status } from "./status-text.ts";

/** A challenge as `ops challenge --json` prints it and `ops sign --challenge` reads it. */
export interface IssuedChallenge {
  id: string;
  nonce: string;
  target: number;
  ttlS: number;
  need: number;
}

export function levelArgument(text: string | undefined): number {
  if (text === undefined) throw new CommandError(EXIT_USAGE, "which level? give a name (standard ... immolation) or 0-5");
  const parsed = parseLevelArgument(text);
  if ("error" in parsed) throw new CommandError(EXIT_USAGE, parsed.error);
  return parsed.level;
}

export async function askChallenge(client: OpsClient, target: number): Promise<IssuedChallenge> {
  const frame = await client.ask(`CHAL ${target}`, "CHAL");
  return { id: client.hello.id, nonce: frame.nonce, target: frame.target, ttlS: frame.ttlS, need: frame.need };
}

export function signingInstructions(challenge: IssuedChallenge): string[] {
  return [
    `nonce ${challenge.nonce}`,
    "Each signing operator runs, on their own machine with their own key file:",
    `  guillotine ops sign --id ${challenge.id} --nonce ${challenge.nonce} --target ${challenge.target} --operator INDEX --key KEYFILE`,
    "and hands over the AUTH line it prints.",
  ];
}

/** Parses AUTH lines given on the command line; all must answer the same challenge. */
export function parseAuthArguments(texts: string[]): AuthLine[] {
  const lines = texts.map((text) => {
    const parsed = parseAuthLine(text);
    if ("error" in parsed) throw new CommandError(EXIT_USAGE, parsed.error);
    return parsed;
  });
  if (lines.some((line) => line.nonce !== lines[0].nonce)) {
    throw new CommandError(EXIT_USAGE, "the AUTH lines sign different challenges: all must carry the same nonce");
  }
  return lines;
}

/** Reads pasted AUTH lines until `challenge.need` distinct operators have signed. */
export async function readAuthLines(input: Readable, challenge: IssuedChallenge, log: (line: string) => void): Promise<AuthLine[]> {
  const lines: AuthLine[] = [];
  log(`paste ${challenge.need} AUTH line(s), one per line:`);
  const reader = createInterface({ input, terminal: false });
  try {
    for await (const text of reader) {
      if (text.trim() === "") continue;
      const parsed = parseAuthLine(text);
      if ("error" in parsed) log(parsed.error + "; paste it again");
      else if (parsed.nonce !== challenge.nonce) log("that AUTH line signs another challenge; sign this one");
      else if (lines.some((line) => line.operator === parsed.operator)) log(`operator ${parsed.operator} already signed; another operator must sign`);
      else lines.push(parsed);
      if (lines.length === challenge.need) break;
    }
  } finally {
    reader.close();
    // A terminal on stdin would otherwise keep the process alive after the command is done.
    input.pause();
  }
  if (lines.length < challenge.need) {
    throw new CommandError(EXIT_FAILED, `input ended with ${lines.length} of ${challenge.need} signatures; nothing was submitted`);
  }
  return lines;
}

/** Submits AUTH lines in order until the quorum completes. */
export async function submitSignatures(client: OpsClient, lines: AuthLine[], log: (line: string) => void): Promise<void> {
  for (const line of lines) {
    const answer = await client.ask(line.line, "AUTH").catch((error: CommandError) => {
      throw new CommandError(error.exitCode, `operator ${line.operator}: ${error.message}`);
    });
    log(`signature of operator ${line.operator} accepted: ${answer.have} of ${answer.need}`);
    if (answer.have >= answer.need) return;
  }
  throw new CommandError(EXIT_FAILED, "not enough signatures for the quorum; the challenge stays valid until it expires: submit more with --auth");
}

/** Reads STATUS and fails unless the controller is at `target`. */
export async function confirmLevel(client: OpsClient, target: number): Promise<Status> {
  const status = await client.ask("STATUS", "STATUS");
  if (status.level !== target) {
    throw new CommandError(EXIT_FAILED, `the quorum completed but the controller reports ${describeLevel(status.level)} (cause ${status.cause}), not ${describeLevel(target)}`);
  }
  return status;
}

/** AUTH lines from --auth, or else a new challenge whose signatures are pasted on `input`. */
export async function gatherSignatures(client: OpsClient, target: number, auth: string[], input: Readable, log: (line: string) => void): Promise<AuthLine[]> {
  if (auth.length > 0) return parseAuthArguments(auth);
  const challenge = await askChallenge(client, target);
  log(`challenge for ${challenge.id} to go to ${describeLevel(target)}: ${challenge.need} signature(s), valid ${challenge.ttlS} s`);
  for (const line of signingInstructions(challenge)) log(line);
  return readAuthLines(input, challenge, log);
}
