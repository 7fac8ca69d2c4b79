/**
 * The steps shared by restore, raise and arm: get a challenge, gather operators' AUTH lines
 * (from the command line or pasted one per line), submit them, and confirm from STATUS that
 * the controller really is at the target level. Confirmed, not assumed.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { CommandError } from "../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_USAGE } from "../kit/command/exit-codes.ts";
import { describeLevel, parseLevelArgument } from "../protocol/levels.ts";
import { CAUSE_DEADLINE, LEVEL_PROBATION, LEVEL_SEVERED } from "../protocol/constants.ts";
import { sleepMs, type Timers } from "../kit/timers.ts";
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

/** Refuses AUTH lines for another controller or another level before anything is sent. */
export function checkAuthTargets(lines: AuthLine[], id: string, target: number): void {
  for (const line of lines) {
    if (line.id !== id) throw new CommandError(EXIT_USAGE, `operator ${line.operator}'s AUTH line is for controller ${line.id}, not ${id}: nothing was submitted`);
    if (line.target !== target) {
      throw new CommandError(EXIT_USAGE, `operator ${line.operator}'s AUTH line approves ${describeLevel(line.target)}, not ${describeLevel(target)}: nothing was submitted`);
    }
  }
}

/** How often and how long a restore polls STATUS for the relay tests to finish. */
export const CONFIRM_POLL_MS = 100;
export const CONFIRM_WAIT_MS = 5000;

/**
 * Confirmed, not assumed: polls STATUS until the controller is at `target` with a heartbeat
 * accepted since the restore and every path reading what the level commands (network and power
 * paths closed and confirmed by both contacts as far as the level allows, the rest open), or
 * fails saying what it saw: a trip (cause relay for a failed relay test), an F path, or paths
 * still open because no heartbeat arrived.
 */
export async function confirmRestore(client: OpsClient, target: number, timers: Timers): Promise<Status> {
  const startMs = timers.nowMs();
  for (;;) {
    const status = await client.ask("STATUS", "STATUS");
    if (status.level !== target) {
      const why = status.cause === CAUSE_DEADLINE ? "; no heartbeat was accepted in time (is the attester running?)" : "";
      throw new CommandError(EXIT_FAILED, `the quorum completed, then the controller went to ${describeLevel(status.level)} (cause ${status.cause}): not restored${why}`);
    }
    const failed = status.paths.indexOf("F");
    if (failed >= 0) throw new CommandError(EXIT_FAILED, `path ${failed} reads back F: a relay's feedback disagrees with its command`);
    if (pathsAsCommanded(status, client.hello.kinds)) return status;
    if (timers.nowMs() - startMs >= CONFIRM_WAIT_MS) {
      const why = status.ageMs === null || status.ageMs > timers.nowMs() - startMs ? "no heartbeat was accepted since the restore (is the attester running?)" : "the relay tests did not finish";
      throw new CommandError(EXIT_FAILED, `${describeLevel(target)} reached but not confirmed within ${CONFIRM_WAIT_MS} ms: paths ${status.paths}; ${why}`);
    }
    await sleepMs(timers, CONFIRM_POLL_MS);
  }
}

/** Whether every path reads what `status.level` commands with fresh heartbeats: closed where allowed, open elsewhere. */
export function pathsAsCommanded(status: Status, kinds: string): boolean {
  if (kinds.length !== status.paths.length) return false;
  for (let p = 0; p < kinds.length; p++) {
    const closed = (kinds[p] === "n" && status.level <= LEVEL_PROBATION) || (kinds[p] === "p" && status.level <= LEVEL_SEVERED);
    if (status.paths[p] !== (closed ? "C" : "O")) return false;
  }
  return true;
}

/** Submits the AUTH lines of a restore to `target` and confirms it from the paths (confirmRestore). */
export async function restoreLevel(client: OpsClient, target: number, lines: AuthLine[], log: (line: string) => void, timers: Timers): Promise<Status> {
  checkAuthTargets(lines, client.hello.id, target);
  await submitSignatures(client, lines, log);
  return confirmRestore(client, target, timers);
}
