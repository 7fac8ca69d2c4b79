/**
 * Client side of the control socket: sends one request and waits for its reply. Used by
 * `guillotine sim ctl` and by tests that drive a simulator running in another process.
 */
import { createConnection } from "node:net";
import type { ControlReply } from "./control-commands.ts";

/** A running simulator answers at once; past this it is stuck or gone. */
export const CONTROL_REPLY_WAIT_MS = 5000;

/** Sends `request` (an `id` is added when missing) and resolves with the reply to it. */
export function sendControlRequest(path: string, request: Record<string, unknown>): Promise<ControlReply> {
  const id = request.id ?? 1;
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffered = "";
    const timer = setTimeout(() => fail(new Error(`no reply from the simulator on ${path} within ${CONTROL_REPLY_WAIT_MS} ms`)), CONTROL_REPLY_WAIT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify({ ...request, id }) + "\n"));
    socket.on("data", (text: string) => {
      buffered += text;
      const end = buffered.indexOf("\n");
      if (end < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffered.slice(0, end)) as ControlReply);
      } catch {
        reject(new Error(`the simulator on ${path} answered something that is not JSON: ${buffered.slice(0, end)}`));
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const gone = error.code === "ENOENT" || error.code === "ECONNREFUSED";
      fail(new Error(gone ? `no simulator listens on ${path}: start one with \`guillotine sim --board PICO\` and pass the control path it prints` : `control socket ${path}: ${error.message}`));
    });
  });
}
