/** `guillotine agent request LEVEL`: the hypervisor asks the attester for a higher level. */
import { LEVEL_PROBATION, LEVEL_SINGLE_AUTHORITY_MAX } from "../../protocol/constants.ts";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { describeLevel, parseLevelArgument } from "../../protocol/levels.ts";
import { SOCKET_PATH_DEFAULT } from "../config.ts";
import { sendRequest } from "../request-client.ts";

export const summary = "ask the running agent to raise the controller's level (probation, severed, offline)";

export const help = `usage: guillotine agent request LEVEL [--reason TEXT] [--socket PATH] [--timeout-ms N] [--json]

LEVEL is probation (1), severed (2) or offline (3), by name or number. The next heartbeat
carries the request; the command returns once the controller's ACK shows it at LEVEL or higher.
The host can never ask for more than offline: decapitation and immolation need an operator
quorum and the physical arm input (guillotine ops arm).

options:
  --reason TEXT    why, logged by the agent (printable ASCII, at most 200 characters)
  --socket PATH    the agent's request socket (default ${SOCKET_PATH_DEFAULT})
  --timeout-ms N   how long to wait for the agent's answer (default 15000)
  --json           print the answer as JSON
exit codes: 0 confirmed, 2 usage, 4 agent unreachable or not confirmed`;

function parseRequestedLevel(text: string | undefined): number {
  if (text === undefined) throw new CommandError(EXIT_USAGE, "which level? e.g. `guillotine agent request severed`");
  const parsed = parseLevelArgument(text);
  if ("error" in parsed) throw new CommandError(EXIT_USAGE, parsed.error);
  if (parsed.level < LEVEL_PROBATION || parsed.level > LEVEL_SINGLE_AUTHORITY_MAX) {
    throw new CommandError(EXIT_USAGE, `the host may ask for probation, severed or offline, not ${describeLevel(parsed.level)}; ` +
      "irreversible levels need an operator quorum and the arm input (guillotine ops arm)");
  }
  return parsed.level;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    reason: { type: "string", default: "" },
    socket: { type: "string", default: SOCKET_PATH_DEFAULT },
    "timeout-ms": { type: "string", default: "15000" },
    json: { type: "boolean", default: false },
  }, 1);
  const level = parseRequestedLevel(positionals[0]);
  const timeoutMs = Number(values["timeout-ms"]);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CommandError(EXIT_USAGE, "--timeout-ms must be a positive integer");
  const result = await sendRequest(values.socket, level, values.reason, timeoutMs).catch((error: Error) => {
    throw new CommandError(EXIT_UNREACHABLE, error.message);
  });
  if (values.json) console.log(JSON.stringify(result));
  if (!result.ok) {
    if (!values.json) console.error(`guillotine agent request: ${result.error}`);
    return EXIT_UNREACHABLE;
  }
  if (!values.json) console.log(`controller confirmed at ${describeLevel(result.controllerLevel)}`);
  return EXIT_OK;
}
