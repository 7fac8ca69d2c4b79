/** `guillotine ops log export`: every kept event-log entry, as the controller sent it. */
import { writeFileSync } from "node:fs";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK } from "../../kit/command/exit-codes.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { formatLogExport, type LogExport } from "../log-file.ts";
import { askHead, vouchProblem } from "../log-head.ts";
import { operatorIndex, operatorKey } from "./operator-key.ts";
import { readLog } from "../log-read.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "export the controller's event log (LOG lines up to LOGEND)";

export const help = `usage: guillotine ops log export [--operator INDEX --key KEYFILE] [--out FILE] [options]

Reads every entry the controller keeps (LOG 0, 1, ... until LOGEND) and writes them as the
controller's own LOG/LOGEND lines, which \`guillotine ops log verify FILE\` checks later.
With --operator and --key the controller also vouches for its head (HEAD to a fresh nonce,
checked with your key at once) and the export keeps that reply: only then can a rewritten
export be told from the real one without the controller. With --json, prints {"id",
"entries": [...], "end": {"next", "head"}, "vouch"} instead.

options:
  --operator INDEX  your operator index: have the controller vouch for its head to you
  --key FILE        your operator key file
  --out FILE        write to FILE instead of standard output
${CONNECTION_HELP}
exit codes: 0 exported, 1 the controller answered inconsistently, 2 usage, 4 unreachable`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...CONNECTION_OPTIONS, out: { type: "string" }, operator: { type: "string" }, key: { type: "string" } }, 0);
  const vouchTo = values.key === undefined && values.operator === undefined ? undefined : { operator: operatorIndex(values.operator), keyHex: operatorKey(values.key) };
  await withClient(values, async (client) => {
    const log: LogExport = await readLog(client, (count) => {
      if (process.stderr.isTTY) process.stderr.write(`\rread ${count} entries`);
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    if (vouchTo !== undefined) {
      const { nonce, head } = await askHead(client, vouchTo.operator);
      log.vouch = { id: client.hello.id, operator: vouchTo.operator, nonce, head };
      const problem = vouchProblem(log.vouch, vouchTo.keyHex, log.end);
      if (problem !== undefined) throw new CommandError(EXIT_FAILED, `the controller's answers do not agree: ${problem}`);
    }
    const text = values.json
      ? JSON.stringify({ id: client.hello.id, ...log }) + "\n"
      : formatLogExport(client.hello.id, log, new Date());
    if (values.out === undefined) {
      process.stdout.write(text);
      return;
    }
    try {
      writeFileSync(values.out, text);
    } catch (error) {
      throw new CommandError(EXIT_CONFIG, `cannot write ${values.out}: ${(error as Error).message}`);
    }
    console.error(`exported ${log.entries.length} entries of ${client.hello.id} to ${values.out}`);
  });
  return EXIT_OK;
}
