/**
 * The simulator's control socket: a Unix socket where each line is one JSON request and each
 * request gets one JSON reply line (control-commands.ts). Tests, the bench and
 * `guillotine sim ctl` press switches, inject faults and read the board's state through it,
 * from outside the process, without touching the firmware's links.
 */
import { createServer, type Socket } from "node:net";
import { rmSync } from "node:fs";
import { LineSplitter } from "../../protocol/line-splitter.ts";
import { handleControlLine, type ControlledBoard } from "./control-commands.ts";
import { cleanupOnExit } from "./exit-cleanup.ts";

/** Longest request line; a snapshot request is ~30 bytes, a fault ~100. */
export const CONTROL_LINE_BYTES_MAX = 64 * 1024;

export interface ControlServer {
  readonly path: string;
  /** Disconnects clients, stops listening and removes the socket file. Safe to repeat. */
  close(): Promise<void>;
}

export async function startControlServer(options: { board: ControlledBoard; path: string }): Promise<ControlServer> {
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
    socket.on("error", () => socket.destroy());
    serveClient(socket, options.board);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `control socket ${options.path} is in use: another simulator runs there, or remove the stale file`
            : `cannot listen on control socket ${options.path}: ${error.message}`,
        ),
      ),
    );
    server.listen(options.path, () => resolve());
  });
  const forget = cleanupOnExit(() => rmSync(options.path, { force: true }));
  let closing: Promise<void> | undefined;
  return {
    path: options.path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        // server.close removes the socket file; the cleanup only covers an abrupt exit.
        server.close(() => resolve());
      }).finally(forget);
      return closing;
    },
  };
}

function serveClient(socket: Socket, board: ControlledBoard): void {
  const lines = new LineSplitter(
    (text) => {
      const line = text.trim();
      if (line !== "") reply(socket, handleControlLine(board, line));
    },
    CONTROL_LINE_BYTES_MAX,
    () => reply(socket, { ok: false, error: `request longer than ${CONTROL_LINE_BYTES_MAX} bytes without a newline: end each request with \\n` }),
  );
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => lines.feed(text));
}

function reply(socket: Socket, message: object): void {
  if (socket.writable) socket.write(JSON.stringify(message) + "\n");
}
