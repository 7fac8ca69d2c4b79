/**
 * Maps a port argument to its transport, like MQTT.js maps protocol names to builders:
 * `tcp://HOST:PORT` is a socket (the simulator), anything else a serial device path.
 */
import type { Duplex } from "node:stream";
import { openSerialLink, openSerialStream } from "./serial.ts";
import { openTcpLink, openTcpStream } from "./tcp.ts";
import type { Link } from "./link.ts";

export const BAUD_RATE_DEFAULT = 115200;

export type Endpoint =
  | { kind: "serial"; path: string; baudRate: number }
  | { kind: "tcp"; host: string; port: number };

/** The endpoint `target` names, or what is wrong with it. */
export function parseEndpoint(target: string, baudRate = BAUD_RATE_DEFAULT): Endpoint | { error: string } {
  if (target.startsWith("tcp://")) {
    const match = /^tcp:\/\/([^:/]+):([0-9]{1,5})$/.exec(target);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) return { error: `"${target}" is not tcp://HOST:PORT` };
    return { kind: "tcp", host: match[1], port };
  }
  if (target === "" || target.includes("://")) {
    return { error: `"${target}" is neither a serial device path nor tcp://HOST:PORT` };
  }
  return { kind: "serial", path: target, baudRate };
}

export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === "tcp" ? `tcp://${endpoint.host}:${endpoint.port}` : endpoint.path;
}

export function openStream(endpoint: Endpoint): Promise<Duplex> {
  if (endpoint.kind === "tcp") return openTcpStream(endpoint.host, endpoint.port);
  return openSerialStream(endpoint.path, endpoint.baudRate);
}

export function openLink(endpoint: Endpoint): Promise<Link> {
  if (endpoint.kind === "tcp") return openTcpLink(endpoint.host, endpoint.port);
  return openSerialLink(endpoint.path, endpoint.baudRate);
}
