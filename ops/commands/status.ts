/** `guillotine ops status`: one STATUS from the controller, readable or as JSON. */
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK } from "../../kit/command/exit-codes.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS } from "../connect.ts";
import { statusJson, statusLines } from "../status-text.ts";
import { withClient } from "./run-with-client.ts";

export const summary = "show the controller's level, paths, inputs and heartbeat age";

export const help = `usage: guillotine ops status [options]

Asks the controller for STATUS on its ops link and prints it.

options:
${CONNECTION_HELP}
exit codes: 0 shown, 2 usage, 4 controller unreachable, 5 refused (e.g. host link given)`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, CONNECTION_OPTIONS, 0);
  await withClient(values, async (client) => {
    const status = await client.ask("STATUS", "STATUS");
    if (values.json) console.log(JSON.stringify(statusJson(client.hello, status)));
    else for (const line of statusLines(client.hello, status)) console.log(line);
  });
  return EXIT_OK;
}
