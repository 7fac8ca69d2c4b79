/**
 * The local Unix socket through which the hypervisor asks the attester for a higher level
 * (`guillotine agent request severed --reason ...`). One JSON line in, one JSON line out:
 *   -> {"level":2,"reason":"model tried to open a socket"}
 *   <- {"ok":true,"controllerLevel":2}   or   {"ok":false,"error":"..."}
 * Requests only ever raise the level, so the socket needs no authentication beyond its file
 * mode (0660: owner and group, the hypervisor's group).
 */
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { chmodSync } from "node:fs";
import { claimSocketPath } from "../kit/socket-path.ts";
import { LineSplitter } from "../protocol/line-splitter.ts";
import { LEVEL_PROBATION, LEVEL_SINGLE_AUTHORITY_MAX } from "../protocol/constants.ts";

export type RequestResult = { ok: true; controllerLevel: number } | { ok: false; error: string };
export type RequestHandler = (level: number, reason: string) => Promise<RequestResult>;

const REQUEST_BYTES_MAX = 1024;
const REASON_CHARS_MAX = 200;
const SOCKET_MODE = 0o660;

/** The request a line holds, or why it is refused. */
export function parseRequest(line: string): { level: number; reason: string } | { error: string } {
  let value: { level?: unknown; reason?: unknown };
  try {
    value = JSON.parse(line);
  } catch {
    return { error: "request is not JSON" };
  }
  const level = value.level;
  if (typeof level !== "number" || !Number.isInteger(level) || level < LEVEL_PROBATION || level > LEVEL_SINGLE_AUTHORITY_MAX) {
    return { error: `level must be ${LEVEL_PROBATION}-${LEVEL_SINGLE_AUTHORITY_MAX}: the host may ask at most for offline` };
  }
  const reason = typeof value.reason === "string" ? value.reason : "";
  if (reason.length > REASON_CHARS_MAX || !/^[\x20-\x7e]*$/.test(reason)) {
    return { error: `reason must be printable ASCII, at most ${REASON_CHARS_MAX} characters` };
  }
  return { level, reason };
}

function serve(socket: Socket, handler: RequestHandler): void {
  const reply = (result: RequestResult): void => {
    socket.end(JSON.stringify(result) + "\n");
  };
  // One request per connection: the first line; anything after it is ignored.
  let answered = false;
  const lines = new LineSplitter(
    (line) => {
      if (answered) return;
      answered = true;
      socket.removeAllListeners("data");
      const request = parseRequest(line);
      if ("error" in request) return reply({ ok: false, error: request.error });
      handler(request.level, request.reason).then(reply, (error: Error) => reply({ ok: false, error: error.message }));
    },
    REQUEST_BYTES_MAX,
    () => reply({ ok: false, error: "request too long" }),
  );
  socket.setEncoding("latin1");
  socket.on("error", () => socket.destroy());
  socket.on("data", (chunk: string) => lines.feed(chunk));
}

export async function listenForRequests(path: string, handler: RequestHandler): Promise<Server> {
  // A socket another agent still answers on is refused: two attesters would fight over one controller.
  await claimSocketPath(path, "guillotine agent", "socketPath");
  const server = createServer((socket) => serve(socket, handler));
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(new Error(`cannot listen on ${path}: ${error.message}`)));
    server.listen(path, () => {
      chmodSync(path, SOCKET_MODE);
      resolve(server);
    });
  });
}
