/**
 * Files and sockets a user names on the command line or in a configuration. Of a file (key,
 * configuration, AUTH lines, challenge, log export) only a regular one is read: a FIFO would
 * block the read forever, a device never ends or is not what was meant, and a directory is a
 * slip of the path. Each refusal says what the path is instead, following a symlink by name,
 * so the message never sends the user to fix the wrong file. A socket path that is something
 * else is named as such, rather than reported as "nobody listens".
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, statSync } from "node:fs";
import type { Stats } from "node:fs";

/** No input file of ours comes near this; anything bigger is not the file meant. */
export const INPUT_FILE_BYTES_MAX = 4 * 1024 * 1024;

export class InputFileError extends Error {}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function openError(path: string, what: string, error: unknown): InputFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new InputFileError(`${what} ${path} not found`);
  if (code === "EACCES") return new InputFileError(`${what} ${path} cannot be read: permission denied (run as the user who owns it)`);
  if (code === "EISDIR") return new InputFileError(`${what} ${path} is a directory, not a regular file: give the path of the file itself`);
  return new InputFileError(`${what} ${path} cannot be read: ${(error as Error).message}`);
}

/**
 * Opens `path` and checks that it is a regular file (through symlinks); calls `use` with the
 * open descriptor and its stats. Opened without blocking, so a FIFO is refused instead of
 * waited on, and checked on the descriptor, so what was checked is what is read.
 */
export function withRegularFile<T>(path: string, what: string, use: (fd: number, stats: Stats) => T): T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw openError(path, what, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const link = lstatSync(path).isSymbolicLink() ? ` (a symlink to ${readlinkSync(path)})` : "";
      throw new InputFileError(`${what} ${path}${link} is ${kindOf(stats)}, not a regular file: give the path of the file itself`);
    }
    if (stats.size > INPUT_FILE_BYTES_MAX) {
      throw new InputFileError(`${what} ${path} is ${stats.size} bytes, more than a ${what} can be (${INPUT_FILE_BYTES_MAX}): is it the right file?`);
    }
    return use(fd, stats);
  } finally {
    closeSync(fd);
  }
}

/** Checks, without reading it, that `path` is a regular file (see withRegularFile). */
export function regularFileStats(path: string, what: string): Stats {
  return withRegularFile(path, what, (_fd, stats) => stats);
}

/** The text of regular file `path`; throws InputFileError saying what is wrong. */
export function readInputFile(path: string, what: string, encoding: BufferEncoding = "utf8"): string {
  return withRegularFile(path, what, (fd) => readFileSync(fd, encoding));
}

/**
 * Why `path` cannot be the Unix socket a user meant (`what`: "agent socket"), or undefined
 * when it is a socket or absent (absent is the caller's "nobody listens" case).
 */
export function notSocketProblem(path: string, what: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  return stats.isSocket() ? undefined : `${what} ${path} is ${stats.isFile() ? "a regular file" : kindOf(stats)}, not a socket: give the socket's path`;
}

/** Why `path` cannot be a serial device, or undefined when it is a character device or absent. */
export function notDeviceProblem(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  return stats.isCharacterDevice() ? undefined : `${path}: it is ${stats.isFile() ? "a regular file" : kindOf(stats)}, not a serial device`;
}
