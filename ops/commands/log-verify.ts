/** `guillotine ops log verify [FILE]`: checks the event log's hash chain end to end. */
import { readInputFile } from "../../host/input-file.ts";
import { CommandError, parseCommandArgs } from "../../host/cli/command-error.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK } from "../../host/cli/exit-codes.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { verifyLogChain } from "../log-chain.ts";
import type { ChainVerdict } from "../log-chain.ts";
import { parseLogExport } from "../log-file.ts";
import type { LogExport } from "../log-file.ts";
import { readLog } from "../log-read.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "check the event log's hash chain and report the first broken link";

export const help = `usage: guillotine ops log verify [FILE] [options]

Checks that each entry's hash is the next entry's prev, that indexes follow each other, and
that the last entry hashes to the head the controller reported. FILE is an export from
\`guillotine ops log export\`; without FILE the log is read from the controller (--port).
The controller keeps only its newest entries: when the oldest kept entry is not entry 0, the
chain is checked from that entry on and the report says so.

options:
${CONNECTION_HELP}
exit codes: 0 intact, 1 broken (the first broken link is named), 2 usage, 3 unreadable file,
            4 unreachable`;

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

function report(verdict: ChainVerdict, source: string, count: number): string {
  if (!verdict.ok) return `${source}: chain BROKEN at entry ${verdict.index}: ${verdict.problem}`;
  if (count === 0) return `${source}: empty log, consistent with LOGEND`;
  const start = verdict.complete ? "from the first entry ever" : `from entry ${verdict.first} (older entries were dropped by the controller)`;
  return `${source}: ${count} entries ${verdict.first}-${verdict.last} intact ${start}; head ${verdict.head}`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, CONNECTION_OPTIONS, 1);
  const path = positionals[0];
  const log = path !== undefined ? readExport(path) : await withClient(values, (client) => readLog(client, () => undefined));
  const verdict = verifyLogChain(log.entries, log.end);
  if (values.json) console.log(JSON.stringify({ entries: log.entries.length, ...verdict }));
  else console.log(report(verdict, path ?? "controller", log.entries.length));
  return verdict.ok ? EXIT_OK : EXIT_FAILED;
}
