/**
 * The client side of the ops daemon's socket: a Link like a serial port's, carrying the same
 * request and answer lines. The daemon's own words are lines starting with NOTICE_PREFIX,
 * never a frame (frame types are capitals); the last one before the daemon closes the
 * connection is the reason the Link reports on close.
 */
import { connect } from "node:net";
import type { Link } from "../../kit/transport/link.ts";
import { linkOverStream } from "../../kit/transport/stream-link.ts";

export const NOTICE_PREFIX = "# ";

/** Connects to the daemon at `path`; rejects with the socket's error (its .code kept). */
export function openDaemonLink(path: string): Promise<Link> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(noticesAsCloseReason(linkOverStream(socket)));
    });
  });
}

function noticesAsCloseReason(inner: Link): Link {
  let notice: string | undefined;
  return {
    writeLine: (text) => inner.writeLine(text),
    onLine: (handler) => inner.onLine((text) => {
      if (text.startsWith(NOTICE_PREFIX)) notice = text.slice(NOTICE_PREFIX.length);
      else handler(text);
    }),
    onClose: (handler) => inner.onClose((reason) => handler(notice !== undefined ? new Error(`ops daemon: ${notice}`) : reason)),
    close: () => inner.close(),
  };
}
