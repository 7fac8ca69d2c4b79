/**
 * Client side of the control socket: sends one request and waits for its reply. Used by
 * `guillotine sim ctl` and by tests that drive a simulator running in another process.
 */
import { createConnection } from "node:net";
import { LineSplitter } from "../../protocol/line-splitter.ts";
import type { ControlReply } from "./control-commands.ts";

/** A running simulator answers at once; past this it is stuck or gone. */
export const CONTROL_REPLY_WAIT_MS = 5000;
/** A reply (a board snapshot at most) is far shorter; a longer one is not from a simulator. */
const CONTROL_REPLY_CHARS_MAX = 16 * 1024 * 1024;

/** Sends `request` (an `id` is added when missing) and resolves with the reply to it. */
export function sendControlRequest(path: string, request: Record<string, unknown>): Promise<ControlReply> {
  const id = request.id ?? 1;
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => fail(new Error(`no reply from the simulator on ${path} within ${CONTROL_REPLY_WAIT_MS} ms`)), CONTROL_REPLY_WAIT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify({ ...request, id }) + "\n"));
    // The first line is the reply; the socket closes after it.
    let answered = false;
    const lines = new LineSplitter((line) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(line) as ControlReply);
      } catch {
        reject(new Error(`the simulator on ${path} answered something that is not JSON: ${line}`));
      }
    }, CONTROL_REPLY_CHARS_MAX, () => fail(new Error(`the simulator on ${path} sent a reply longer than ${CONTROL_REPLY_CHARS_MAX} characters`)));
    socket.on("data", (text: string) => lines.feed(text));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const gone = error.code === "ENOENT" || error.code === "ECONNREFUSED";
      fail(new Error(gone ? `no simulator listens on ${path}: start one with \`guillotine sim --board PICO\` and pass the control path it prints` : `control socket ${path}: ${error.message}`));
    });
  });
}
