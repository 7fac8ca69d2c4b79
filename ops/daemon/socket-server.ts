/**
 * Serves the arbiter's shared ops link on a Unix socket: each connection is one client,
 * carrying request lines in and answer lines out, exactly as on the serial port. The
 * socket's file mode is the access control (owner, or owner and the operators' group).
 */
import { chmodSync } from "node:fs";
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { linkOverStream } from "../../kit/transport/stream-link.ts";
import type { LinkArbiter } from "./arbiter.ts";
import { NOTICE_PREFIX } from "./daemon-link.ts";
import { claimSocketPath } from "../../kit/socket-path.ts";

/** Unread output one client may leave queued before it is dropped (it stopped reading). */
const CLIENT_BACKLOG_BYTES_MAX = 64 * 1024;
/** Notices travel as lines, so they keep to the frame cap. */
const NOTICE_CHARS_MAX = 120;

export interface SocketServer {
  path: string;
  close(): Promise<void>;
}

function notice(text: string): string {
  return NOTICE_PREFIX + text.replace(/[^\x20-\x7e]/g, "?").slice(0, NOTICE_CHARS_MAX) + "\n";
}

function serveClient(socket: Socket, arbiter: LinkArbiter): void {
  socket.on("error", () => socket.destroy());
  let shared;
  try {
    shared = arbiter.attach();
  } catch (error) {
    socket.end(notice((error as Error).message));
    return;
  }
  const own = linkOverStream(socket);
  own.onLine((text) => shared.writeLine(text));
  own.onClose(() => void shared.close());
  shared.onLine((text) => {
    if (socket.writableLength > CLIENT_BACKLOG_BYTES_MAX) {
      void shared.close();
      socket.destroy();
      return;
    }
    own.writeLine(text);
  });
  shared.onClose((reason) => {
    if (reason !== undefined && socket.writable) socket.end(notice(reason.message));
    else socket.end();
  });
}

export async function listenOnSocket(path: string, mode: number, arbiter: LinkArbiter): Promise<SocketServer> {
  await claimSocketPath(path, "ops daemon", "--socket");
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on("close", () => connections.delete(socket));
    serveClient(socket, arbiter);
  });
  // The socket takes the umask's mode when bound (synchronously, inside listen): keep it
  // closed to everyone but us until chmod gives it the real one.
  const umask = process.umask(0o177);
  let listening: Promise<void>;
  try {
    listening = new Promise<void>((resolve, reject) => {
      server.once("error", (error) => reject(new Error(`cannot listen on ${path}: ${error.message}`)));
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  await listening;
  chmodSync(path, mode);
  return {
    path,
    close: () => new Promise((resolve) => {
      for (const socket of connections) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
