/**
 * The simulated board's programming port, served two ways:
 * - on TCP (`tcp://127.0.0.1:PORT`), because the espruino tool refuses ptys (`-p /dev/pts/N`
 *   gives "Port not found": it only opens what SerialPort.list() reports) but opens tcp://;
 * - on a pty, for terminal programs (`screen`, `picocom`) and anything that wants a path.
 *
 * Both carry the same bytes: input from any client goes to the board's console port, and
 * everything the port sends goes to every client, as on one shared line. Whether those bytes
 * reach the REPL is the board's decision (only while the console is on this port).
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { openSimulatedLink, type ByteEndpoint, type SimulatedLink } from "./link-bridge.ts";

export interface ConsoleServer {
  /** `tcp://127.0.0.1:PORT`, for `espruino -p`. */
  readonly url: string;
  readonly tcpPort: number;
  /** Peer end of the console pty. */
  readonly ptyPath: string;
  /** Disconnects clients, stops listening, closes the pty. Safe to repeat. */
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  endpoint: ByteEndpoint;
  /** Directory for the pty links (one per process). */
  directory: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  tcpPort?: number;
  baud: number;
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const tcp = await listenTcp(options.endpoint, options.tcpPort ?? 0);
  let pty: SimulatedLink;
  try {
    pty = await openSimulatedLink({ endpoint: options.endpoint, directory: options.directory, name: "console", baud: options.baud });
  } catch (error) {
    await tcp.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `tcp://127.0.0.1:${tcp.port}`,
    tcpPort: tcp.port,
    ptyPath: pty.peerPath,
    close() {
      closing ??= Promise.all([tcp.close(), pty.close()]).then(() => undefined);
      return closing;
    },
  };
}

async function listenTcp(endpoint: ByteEndpoint, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.setNoDelay(true);
    socket.on("data", (data) => endpoint.write(data));
    // A client that vanishes (ECONNRESET) is simply gone; the board keeps running.
    socket.on("error", () => socket.destroy());
    socket.on("close", () => clients.delete(socket));
  });
  const unsubscribe = endpoint.onData((data) => {
    const bytes = Buffer.from(data, "latin1");
    for (const client of clients) if (client.writable) client.write(bytes);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  } catch (error) {
    unsubscribe();
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === "EADDRINUSE"
        ? `console port ${port} on 127.0.0.1 is in use: pick another with --console-port, or 0 for any free port`
        : `cannot listen for the console on 127.0.0.1:${port}: ${(error as Error).message}`,
    );
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      unsubscribe();
      for (const client of clients) client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
