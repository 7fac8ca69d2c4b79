/**
 * The file-system side of a Unix socket we listen on (the agent's request socket, the ops
 * daemon's): what is at the path before we listen. Only a socket nobody answers on is ever
 * removed; a file, a directory, a FIFO, a symlink or a live server's socket is refused with
 * what to do.
 */
import { lstatSync, unlinkSync } from "node:fs";
import type { Stats } from "node:fs";
import { connect } from "node:net";

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

/**
 * Makes `path` free for listening: removes a stale socket, refuses anything else. `server`
 * names who would listen there ("ops daemon") and `setting` what the user changes to pick
 * another path ("--socket").
 */
export async function claimSocketPath(path: string, server: string, setting: string): Promise<void> {
  const found = socketPathKind(path);
  if (found.kind === "none") return;
  if (found.kind === "other") throw new Error(`${path} exists and is ${found.what}, not a socket: remove it yourself or choose another ${setting}`);
  if (await answers(path)) throw new Error(`another ${server} already listens on ${path}: stop it first, or choose another ${setting}`);
  unlinkSync(path);
}
