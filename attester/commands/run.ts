/** `guillotine agent run`: the attester daemon (systemd unit ops/systemd/guillotine-agent.service). */
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_OK } from "../../kit/command/exit-codes.ts";
import { KeyFileError, readKeyFile } from "../../kit/key-file.ts";
import { systemTimers } from "../../kit/timers.ts";
import { openLink, parseEndpoint } from "../../kit/transport/endpoint.ts";
import type { Endpoint } from "../../kit/transport/endpoint.ts";
import { Agent } from "../agent.ts";
import { measure } from "../measure.ts";
import { listenForRequests } from "../request-server.ts";
import { createNotifier, watchdogPingPeriodMs } from "../sd-notify.ts";
import { CONFIG_PATH_DEFAULT, loadConfigOrThrow } from "./load.ts";

export const summary = "run the attester: heartbeats to the controller, requests from the hypervisor";

export const help = `usage: guillotine agent run [--config FILE]

Sends a signed heartbeat (HB) to the controller on the host link every heartbeatPeriodMs,
re-syncing the session whenever the controller asks, and serves escalation requests from the
hypervisor on the request socket. Reconnects by itself when the port vanishes and returns.
Under systemd (Type=notify) it sends READY=1, WATCHDOG=1 and STATUS=... through socat.

options:
  --config FILE   agent configuration (default ${CONFIG_PATH_DEFAULT}); see docs/cli.md
exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage, 3 bad configuration or key file`;

function log(line: string): void {
  console.log(line);
}

function readKey(path: string): string {
  try {
    return readKeyFile(path);
  } catch (error) {
    if (error instanceof KeyFileError) throw new CommandError(EXIT_CONFIG, error.message);
    throw error;
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { config: { type: "string" } }, 0);
  const config = loadConfigOrThrow(values.config);
  const key = readKey(config.keyFile);
  const endpoint = parseEndpoint(config.port, config.baud) as Endpoint;
  const notifier = createNotifier(process.env, log);
  const agent = new Agent(config, key, {
    timers: systemTimers,
    openLink: () => openLink(endpoint),
    measure: () => measure(config.measurements, config.commandTimeoutMs),
    log,
    notifier,
    watchdogPingMs: watchdogPingPeriodMs(process.env),
  });
  const server = await listenForRequests(config.socketPath, (level, reason) => agent.request(level, reason))
    .catch((error: Error) => {
      throw new CommandError(EXIT_CONFIG, error.message);
    });
  await agent.start();
  log(`attesting to ${config.controllerId} on ${config.port} every ${config.heartbeatPeriodMs} ms; requests on ${config.socketPath}`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  log("stopping");
  server.close();
  await agent.stop();
  notifier?.close();
  return EXIT_OK;
}
