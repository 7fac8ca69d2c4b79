/** `guillotine ops log verify [FILE]`: checks the event log against the head the controller vouches for. */
import { readInputFile } from "../../kit/input-file.ts";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import type { OpsClient } from "../client.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { verifyLogChain } from "../log-chain.ts";
import { parseLogExport } from "../log-file.ts";
import type { LogExport } from "../log-file.ts";
import { askHead, continueWithLive, vouchProblem } from "../log-head.ts";
import { readLog } from "../log-read.ts";
import { operatorIndex, operatorKey } from "./operator-key.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "check the event log against the head the controller vouches for";

export const help = `usage: guillotine ops log verify [FILE] --operator INDEX --key KEYFILE [options]

Checks that each entry's hash is the next entry's prev, that indexes follow each other, and
that the chain ends at the head the controller vouched for with your operator key (its HEAD
reply to a fresh nonce). Anyone can recompute a hash chain after changing an entry; only the
controller, or the holder of the key, can make that tag.

  FILE without --port  the export of \`guillotine ops log export --operator I --key K\`; its
                       stored HEAD reply is checked with your key (same operator)
  no FILE              the log is read from the controller (--port) and vouched for now
  FILE with --port     the export is checked against the live controller: the entries the
                       controller wrote since are read and the whole chain must end at the
                       head it vouches for now

"intact" means: the entries shown, from the oldest one to the newest, are exactly those the
controller holding that operator key had written, none changed and none missing between, as
of its HEAD reply. Entries older than the oldest shown are not covered. Without a vouched
head (no --key, or an export made without one) the result is "not authenticated": exit 1.

options:
  --operator INDEX  your operator index (for an export: the one it was vouched to)
  --key FILE        your operator key file
${CONNECTION_HELP}
exit codes: 0 intact, 1 broken or not authenticated (the problem is named), 2 usage,
            3 unreadable file, 4 unreachable, 5 refused`;

function readExport(path: string): LogExport {
  let text: string;
  try {
    text = readInputFile(path, "log export", "latin1");
  } catch (error) {
    throw new CommandError(EXIT_CONFIG, (error as Error).message);
  }
  const parsed = parseLogExport(text);
  if ("error" in parsed) throw new CommandError(EXIT_CONFIG, `${path}: ${parsed.error}`);
  return parsed;
}

/** The live log, vouched for now by `operator`. */
async function readVouched(client: OpsClient, operator: number): Promise<LogExport> {
  const log = await readLog(client, () => undefined);
  const { nonce, head } = await askHead(client, operator);
  return { ...log, vouch: { id: client.hello.id, operator, nonce, head } };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...CONNECTION_OPTIONS, operator: { type: "string" }, key: { type: "string" } }, 1);
  const path = positionals[0];
  const keyHex = values.key === undefined ? undefined : operatorKey(values.key);
  const exported = path === undefined ? undefined : readExport(path);
  const live = path === undefined || values.port !== undefined;
  if (live && keyHex === undefined) throw new CommandError(EXIT_USAGE, "--operator INDEX and --key FILE are needed to have the controller vouch for its head");
  const operator = values.operator === undefined && exported?.vouch !== undefined ? exported.vouch.operator : operatorIndex(values.operator);
  let log: LogExport;
  if (!live) {
    log = exported!;
  } else {
    const current = await withClient(values, (client) => readVouched(client, operator));
    log = exported === undefined ? current : { entries: continueWithLive(exported.entries, current.entries), end: current.end, vouch: current.vouch };
  }
  const source = path ?? "controller";
  const chain = verifyLogChain(log.entries, log.end);
  let problem = chain.ok ? undefined : `chain BROKEN at entry ${chain.index}: ${chain.problem}`;
  if (problem === undefined && log.vouch === undefined) problem = "not authenticated: the export holds no HEAD the controller vouched for (export with --operator and --key, or add --port)";
  if (problem === undefined && keyHex === undefined) problem = "not authenticated: give --key (the key of the operator the HEAD was vouched to)";
  if (problem === undefined && log.vouch!.operator !== operator) problem = `the HEAD was vouched to operator ${log.vouch!.operator}, not ${operator}`;
  if (problem === undefined) problem = vouchProblem(log.vouch!, keyHex!, log.end);
  const count = log.entries.length;
  if (values.json) {
    console.log(JSON.stringify({ entries: count, ok: problem === undefined, problem, ...(chain.ok ? { first: chain.first, last: chain.last, head: chain.head, complete: chain.complete } : {}) }));
  } else if (problem !== undefined) {
    console.log(`${source}: ${problem}`);
  } else if (chain.ok) {
    const start = chain.complete ? "from the first entry ever" : `from entry ${chain.first} (older entries were dropped by the controller)`;
    console.log(count === 0 ? `${source}: empty log, vouched for by the controller` : `${source}: ${count} entries ${chain.first}-${chain.last} intact ${start}; head ${chain.head} vouched for to operator ${operator}`);
  }
  return problem === undefined ? EXIT_OK : EXIT_FAILED;
}
