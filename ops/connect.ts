/**
 * The options every ops command shares (--port, --socket, --baud, --timeout-ms, --json) and
 * the one way they reach a controller: through the ops daemon's socket when one answers
 * there, else by opening the port themselves. --port defaults to $GUILLOTINE_OPS_PORT,
 * --socket to $GUILLOTINE_OPS_SOCKET.
 */
import { CommandError } from "../kit/command/command-error.ts";
import { EXIT_UNREACHABLE, EXIT_USAGE } from "../kit/command/exit-codes.ts";
import { systemTimers } from "../kit/timers.ts";
import { describeEndpoint, openLink, parseEndpoint } from "../kit/transport/endpoint.ts";
import type { Endpoint } from "../kit/transport/endpoint.ts";
import type { Link } from "../kit/transport/link.ts";
import { OpsClient } from "./client.ts";
import { openDaemonLink } from "./daemon/daemon-link.ts";
import { socketPathKind } from "../kit/socket-path.ts";

export const CONNECTION_OPTIONS = {
  port: { type: "string" },
  socket: { type: "string" },
  baud: { type: "string", default: "115200" },
  "timeout-ms": { type: "string", default: "3000" },
  json: { type: "boolean", default: false },
} as const;

export const CONNECTION_HELP = `  --port PORT       the controller's ops link: a serial device or tcp://HOST:PORT
                    (default $GUILLOTINE_OPS_PORT)
  --socket PATH     go through the ops daemon listening on PATH (default
                    $GUILLOTINE_OPS_SOCKET); with no daemon there, use --port
  --baud N          serial baud rate (default 115200)
  --timeout-ms N    how long to wait for each answer (default 3000)
  --json            machine-readable output`;

export interface ConnectionValues {
  port?: string;
  socket?: string;
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
    throw new CommandError(EXIT_USAGE, "which controller? give --port PORT or set GUILLOTINE_OPS_PORT (or --socket PATH of a running ops daemon)");
  }
  const endpoint = parseEndpoint(port, positiveInteger(values.baud, "--baud"));
  if ("error" in endpoint) throw new CommandError(EXIT_USAGE, `--port: ${endpoint.error}`);
  return endpoint;
}

/** Where a command's requests go, and how to open a link there (again, for ops watch). */
export interface OpsTarget {
  where: string;
  open: () => Promise<Link>;
}

/** The daemon on `path` if one answers; undefined when none is there (no socket, or a stale one). */
async function daemonTarget(path: string): Promise<OpsTarget | undefined> {
  let found: ReturnType<typeof socketPathKind>;
  try {
    found = socketPathKind(path);
  } catch (error) {
    throw new CommandError(EXIT_USAGE, `--socket: ${(error as Error).message}`);
  }
  if (found.kind === "none") return undefined;
  if (found.kind === "other") throw new CommandError(EXIT_USAGE, `--socket ${path} is ${found.what}, not the ops daemon's socket: give the path \`guillotine ops daemon --socket\` listens on`);
  let first: Link;
  try {
    first = await openDaemonLink(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ECONNREFUSED") return undefined;
    const hint = code === "EACCES" ? ": the socket admits its owner and the operators' group only" : "";
    throw new CommandError(EXIT_UNREACHABLE, `cannot connect to the ops daemon at ${path}: ${(error as Error).message}${hint}`);
  }
  let unused: Link | undefined = first;
  return {
    where: `the ops daemon at ${path}`,
    open: () => {
      const link = unused;
      unused = undefined;
      return link !== undefined ? Promise.resolve(link) : openDaemonLink(path);
    },
  };
}

/** The ops daemon named by --socket when one answers there, else the port itself. */
export async function opsTarget(values: ConnectionValues): Promise<OpsTarget> {
  const path = values.socket ?? process.env.GUILLOTINE_OPS_SOCKET;
  if (path !== undefined && path !== "") {
    const daemon = await daemonTarget(path);
    if (daemon !== undefined) return daemon;
    if ((values.port ?? process.env.GUILLOTINE_OPS_PORT ?? "") === "") {
      throw new CommandError(EXIT_UNREACHABLE, `no ops daemon listens on ${path} and no --port is given: start \`guillotine ops daemon\`, or give --port PORT`);
    }
  }
  const endpoint = endpointFrom(values);
  return { where: describeEndpoint(endpoint), open: () => openLink(endpoint) };
}

/** Opens the ops link (or the daemon's socket) and SYNCs; unreachable ports and silent controllers exit 4. */
export async function connect(values: ConnectionValues): Promise<OpsClient> {
  const timeoutMs = positiveInteger(values["timeout-ms"], "--timeout-ms");
  const target = await opsTarget(values);
  const link = await target.open().catch((error: Error) => {
    throw new CommandError(EXIT_UNREACHABLE, error.message);
  });
  return OpsClient.start(link, systemTimers, timeoutMs, target.where);
}
