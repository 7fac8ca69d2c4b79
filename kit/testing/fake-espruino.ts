/**
 * Test-only Espruino console on TCP: the simulator's own REPL line discipline
 * (simulator/repl/repl.ts) over a node:vm interpreter that offers what provisioning uses:
 * print, process.env, require("Storage") (read/write/erase/list on a Map) and
 * require("crypto").SHA256. `flash` is exposed so tests can inspect and fault it.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { createContext, runInContext } from "node:vm";
import { Repl } from "../../simulator/repl/repl.ts";

export interface FakeEspruino {
  url: string;
  flash: Map<string, string>;
  /** Statements evaluated, in order. */
  evaluated: string[];
  /** Everything the console sent back (to check that no key was ever read back). */
  output: string;
  /** When set, Storage.write of this file name returns false. */
  failWritesTo: string | undefined;
  close(): Promise<void>;
}

function storage(fake: FakeEspruino) {
  return {
    read: (name: string) => fake.flash.get(name),
    write: (name: string, data: string) => {
      if (name === fake.failWritesTo || typeof data !== "string") return false;
      fake.flash.set(name, data);
      return true;
    },
    erase: (name: string) => void fake.flash.delete(name),
    list: () => [...fake.flash.keys()],
  };
}

/** `board` is what process.env.BOARD says: a shipped profile's espruinoBoard makes provisioning apply that board's rules. */
export async function startFakeEspruino(initialFlash: Record<string, string> = {}, board = "FAKE"): Promise<FakeEspruino> {
  const fake: FakeEspruino = {
    url: "", flash: new Map(Object.entries(initialFlash)), evaluated: [], output: "", failWritesTo: undefined,
    close: async () => undefined,
  };
  const crypto = { SHA256: (text: string) => new Uint8Array(createHash("sha256").update(Buffer.from(text, "latin1")).digest()).buffer };
  const server: Server = createServer((socket) => {
    let output = (text: string): void => {
      fake.output += text;
      socket.write(Buffer.from(text, "latin1"));
    };
    const context = createContext({
      process: { env: { BOARD: board, VERSION: "2v29" } },
      JSON,
      print: (...parts: unknown[]) => output(parts.map(String).join(" ") + "\r\n"),
      require: (name: string) => (name === "Storage" ? storage(fake) : name === "crypto" ? crypto : undefined),
    });
    const repl = new Repl({
      evaluate(code) {
        fake.evaluated.push(code);
        try {
          return { ok: true, value: runInContext(code, context) };
        } catch (error) {
          return { ok: false, error, text: String(error) };
        }
      },
      consoleWrite: (text) => output(text),
      console: { echo: true, locked: false },
      unlockConsole: () => true,
    });
    socket.on("data", (chunk) => repl.input(chunk.toString("latin1")));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      output = () => undefined;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
