/** Test-only: serves a FakeController's ops (or host) link on a TCP port of 127.0.0.1. */
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import type { FakeController } from "./fake-controller.ts";

export interface FakeControllerServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFakeController(fake: FakeController, link: "host" | "ops"): Promise<FakeControllerServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    fake.attach(socket, link);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
