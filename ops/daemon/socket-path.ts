/**
 * The file-system side of the daemon's Unix socket: what is at the path before we listen,
 * and the mode the socket gets. Only a socket nobody answers on is ever removed; a file, a
 * directory, a FIFO, a symlink or a live daemon's socket is refused with what to do.
 */
import { lstatSync, unlinkSync } from "node:fs";
import type { Stats } from "node:fs";
import { connect } from "node:net";

/** Owner and group (the operators' group) may connect; others may not. */
export const SOCKET_MODE_DEFAULT = 0o660;
export const SOCKET_MODES = [0o600, 0o660];

function describeKind(stats: Stats): string {
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "a regular file";
}

/** What is at `path`: nothing, a socket, or something else (described). */
export function socketPathKind(path: string): { kind: "none" } | { kind: "socket" } | { kind: "other"; what: string } {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "none" };
    throw new Error(`cannot look at ${path}: ${(error as Error).message}`);
  }
  return stats.isSocket() ? { kind: "socket" } : { kind: "other", what: describeKind(stats) };
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** Makes `path` free for listening: removes a stale socket, refuses anything else. */
export async function claimSocketPath(path: string): Promise<void> {
  const found = socketPathKind(path);
  if (found.kind === "none") return;
  if (found.kind === "other") throw new Error(`${path} exists and is ${found.what}, not a socket: remove it yourself or choose another --socket`);
  if (await answers(path)) throw new Error(`another ops daemon already listens on ${path}: stop it first, or choose another --socket`);
  unlinkSync(path);
}

/** The mode an --socket-mode text names: 0600 or 0660. */
export function parseSocketMode(text: string): number | { error: string } {
  const mode = /^0?[0-7]{3}$/.test(text) ? parseInt(text, 8) : NaN;
  if (!SOCKET_MODES.includes(mode)) return { error: `--socket-mode must be 0600 (owner only) or 0660 (owner and group), got "${text}"` };
  return mode;
}
