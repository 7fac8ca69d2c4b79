/**
 * Builds a Link over any byte stream (a serial port or a TCP socket), splitting lines with the
 * protocol's own LineReader so a babbling peer cannot grow our memory.
 */
import type { Duplex } from "node:stream";
import { isPrintable, LineReader, LINE_OK } from "../../protocol/lines.ts";
import type { Link } from "./link.ts";

export function linkOverStream(stream: Duplex): Link {
  const reader = new LineReader(0);
  const lineHandlers: Array<(text: string) => void> = [];
  const closeHandlers: Array<(reason: Error | undefined) => void> = [];
  let closed = false;
  let lastError: Error | undefined;
  const sink = {
    onLine(_link: number, text: string, status: number): void {
      if (status !== LINE_OK || !isPrintable(text)) return;
      for (const handler of lineHandlers) handler(text);
    },
  };
  // serialport reports a vanished peer only while a data listener is attached (docs/espruino.md section 5).
  stream.on("data", (chunk: Buffer) => reader.feed(chunk.toString("latin1"), sink));
  stream.on("error", (error: Error) => {
    lastError = error;
    stream.destroy();
  });
  stream.on("close", (arg?: unknown) => {
    // A serial port may report its end twice (its own close, then destroy's).
    if (closed) return;
    closed = true;
    const reason = arg instanceof Error ? arg : lastError;
    for (const handler of closeHandlers) handler(reason);
  });
  return {
    writeLine(text) {
      if (closed || stream.destroyed || !stream.writable) return false;
      stream.write(text + "\n");
      return true;
    },
    onLine(handler) {
      lineHandlers.push(handler);
    },
    onClose(handler) {
      if (closed) queueMicrotask(() => handler(lastError));
      else closeHandlers.push(handler);
    },
    close() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        stream.once("close", () => resolve());
        stream.destroy();
      });
    },
  };
}
