/**
 * The embedded MQTT broker the bridge starts when no --broker is given: aedes in process
 * (MQTT 3.1.1, retained messages and last will), served on 127.0.0.1.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";

export interface EmbeddedBroker {
  url: string;
  close(): Promise<void>;
}

/** Starts aedes on `port` (0 = any free port) of 127.0.0.1. */
export async function startEmbeddedBroker(port: number): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes");
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      broker.close();
      reject(new Error(error.code === "EADDRINUSE" ? `port ${port} on 127.0.0.1 is in use: pick another --listen-port, or 0 for any` : error.message));
    });
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
