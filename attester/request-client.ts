/** The hypervisor's side of the request socket (see request-server.ts). */
import { connect } from "node:net";
import { notSocketProblem } from "../kit/input-file.ts";
import type { RequestResult } from "./request-server.ts";

export function sendRequest(path: string, level: number, reason: string, timeoutMs: number): Promise<RequestResult> {
  const problem = notSocketProblem(path, "agent socket");
  if (problem !== undefined) return Promise.reject(new Error(problem));
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the agent at ${path} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding("latin1");
    socket.on("connect", () => socket.write(JSON.stringify({ level, reason }) + "\n"));
    socket.on("data", (chunk: string) => {
      answer += chunk;
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint = error.code === "ENOENT" || error.code === "ECONNREFUSED" ? " (is `guillotine agent run` running?)" : "";
      reject(new Error(`cannot reach the agent at ${path}: ${error.message}${hint}`));
    });
    socket.on("end", () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(answer) as RequestResult);
      } catch {
        reject(new Error(`the agent at ${path} sent an unreadable answer`));
      }
    });
  });
}
