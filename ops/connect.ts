/**
 * The options every ops command shares (--port, --baud, --timeout-ms, --json) and the one way
 * they open a session. --port defaults to $GUILLOTINE_OPS_PORT.
 */
import { CommandError } from "../host/cli/command-error.ts";
import { EXIT_UNREACHABLE, EXIT_USAGE } from "../host/cli/exit-codes.ts";
import { systemTimers } from "../host/timers.ts";
import { describeEndpoint, openLink, parseEndpoint } from "../host/transport/endpoint.ts";
import type { Endpoint } from "../host/transport/endpoint.ts";
import { OpsClient } from "./client.ts";

export const CONNECTION_OPTIONS = {
  port: { type: "string" },
  baud: { type: "string", default: "115200" },
  "timeout-ms": { type: "string", default: "3000" },
  json: { type: "boolean", default: false },
} as const;

export const CONNECTION_HELP = `  --port PORT       the controller's ops link: a serial device or tcp://HOST:PORT
                    (default $GUILLOTINE_OPS_PORT)
  --baud N          serial baud rate (default 115200)
  --timeout-ms N    how long to wait for each answer (default 3000)
  --json            machine-readable output`;

export interface ConnectionValues {
  port?: string;
  baud: string;
  "timeout-ms": string;
}

export function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new CommandError(EXIT_USAGE, `${option} must be a positive integer, got "${text}"`);
  return value;
}

export function endpointFrom(values: ConnectionValues): Endpoint {
  const port = values.port ?? process.env.GUILLOTINE_OPS_PORT;
  if (port === undefined || port === "") {
    throw new CommandError(EXIT_USAGE, "which controller? give --port PORT or set GUILLOTINE_OPS_PORT");
  }
  const endpoint = parseEndpoint(port, positiveInteger(values.baud, "--baud"));
  if ("error" in endpoint) throw new CommandError(EXIT_USAGE, `--port: ${endpoint.error}`);
  return endpoint;
}

/** Opens the ops link and SYNCs; unreachable ports and silent controllers exit 4. */
export async function connect(values: ConnectionValues): Promise<OpsClient> {
  const endpoint = endpointFrom(values);
  const timeoutMs = positiveInteger(values["timeout-ms"], "--timeout-ms");
  const link = await openLink(endpoint).catch((error: Error) => {
    throw new CommandError(EXIT_UNREACHABLE, error.message);
  });
  return OpsClient.start(link, systemTimers, timeoutMs, describeEndpoint(endpoint));
}
