/** TCP transport: the simulated board's links and console, served on 127.0.0.1 ports. */
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { linkOverStream } from "./stream-link.ts";
import type { Link } from "./link.ts";

/** Connects to `host:port` as a raw byte stream. */
export function openTcpStream(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", (error) => reject(new Error(`cannot connect to tcp://${host}:${port}: ${error.message}`)));
  });
}

/** Connects to `host:port` as a protocol line link. */
export async function openTcpLink(host: string, port: number): Promise<Link> {
  return linkOverStream(await openTcpStream(host, port));
}
