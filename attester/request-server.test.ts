/**
 * The agent's request socket claims its path the way the ops daemon does: a stale socket left
 * by a crash is taken over, while a live agent's socket and anything that is not a socket are
 * refused, so a second attester can never steal the first one's requests.
 */
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { mkdirSync, mkdtempSync, statSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sendRequest } from "./request-client.ts";
import { listenForRequests } from "./request-server.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

const folder = () => mkdtempSync(join(tmpdir(), "guillotine-request-"));
const answer = async () => ({ ok: true as const, controllerLevel: 2 });

describe("the agent's request socket", () => {
  it("takes over a stale socket nobody answers on and serves requests there", async () => {
    const path = join(folder(), "agent.sock");
    // A process that dies while listening leaves its socket file behind, as a crashed agent does.
    const crashed = spawn(process.execPath, ["-e", "require('net').createServer().listen(process.argv[1], () => console.log('up'))", path]);
    await new Promise<void>((resolve) => crashed.stdout.once("data", () => resolve()));
    crashed.kill("SIGKILL");
    await new Promise((resolve) => crashed.once("exit", resolve));
    expect(statSync(path).isSocket()).toBe(true);
    servers.push(await listenForRequests(path, answer));
    expect(await sendRequest(path, 2, "stale socket test", 2000)).toEqual({ ok: true, controllerLevel: 2 });
  });

  it("refuses the socket of an agent that still answers", async () => {
    const path = join(folder(), "agent.sock");
    servers.push(await listenForRequests(path, answer));
    await expect(listenForRequests(path, answer)).rejects.toThrow(/another guillotine agent already listens on .*agent\.sock: stop it first, or choose another socketPath/);
    expect(await sendRequest(path, 2, "the first agent still serves", 2000)).toEqual({ ok: true, controllerLevel: 2 });
  });

  it("refuses a path that is not a socket, and leaves it alone", async () => {
    const path = join(folder(), "agent.sock");
    mkdirSync(path);
    await expect(listenForRequests(path, answer)).rejects.toThrow(/exists and is a directory, not a socket: remove it yourself or choose another socketPath/);
    expect(statSync(path).isDirectory()).toBe(true);
  });
  it("answers one request per connection, the first line only, and refuses an over-long one", async () => {
    const path = join(folder(), "agent.sock");
    const asked: number[] = [];
    servers.push(await listenForRequests(path, async (level) => (asked.push(level), { ok: true as const, controllerLevel: level })));
    const exchange = (text: string) =>
      new Promise<string>((resolve, reject) => {
        let reply = "";
        const socket = createConnection(path, () => socket.write(text));
        socket.on("data", (data) => (reply += data));
        socket.on("close", () => resolve(reply));
        socket.on("error", reject);
      });
    const two = JSON.stringify({ level: 1, reason: "first" }) + "\n" + JSON.stringify({ level: 2, reason: "second" }) + "\n";
    expect(JSON.parse(await exchange(two))).toEqual({ ok: true, controllerLevel: 1 });
    expect(asked).toEqual([1]);
    expect(JSON.parse(await exchange("x".repeat(2000)))).toEqual({ ok: false, error: "request too long" });
    expect(asked).toEqual([1]);
  });
});
