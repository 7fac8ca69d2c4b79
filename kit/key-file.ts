/**
 * Reads a host or operator key file: 64 lowercase hex digits (32 bytes), optionally followed by
 * a newline. A key readable by group or others is refused, like ssh refuses a private key with
 * loose permissions: a leaked heartbeat key lets anyone keep the paths closed.
 */
import { existsSync, readFileSync } from "node:fs";
import { InputFileError, withRegularFile } from "./input-file.ts";
import { KEY_HEX_CHARS } from "../protocol/constants.ts";
import { isHex } from "../protocol/hex.ts";

export class KeyFileError extends Error {}

/** Permission bits that must be clear on a key file. */
const GROUP_OR_OTHER_BITS = 0o077;

function checkMode(path: string, what: string, mode: number): void {
  if ((mode & GROUP_OR_OTHER_BITS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new KeyFileError(
      `${what} ${path} is readable or writable by group or others (mode ${octal}); ` +
        `refusing to use it. Run \`chmod 600 ${path}\` and make sure nobody else copied it.`,
    );
  }
}

/** Opens `path` as a regular file that only its owner may read (see withRegularFile), then `use`s it. */
function withPrivateFile<T>(path: string, what: string, use: (fd: number) => T): T {
  try {
    return withRegularFile(path, what, (fd, stats) => {
      checkMode(path, what, stats.mode);
      return use(fd);
    });
  } catch (error) {
    if (error instanceof InputFileError) throw new KeyFileError(error.message);
    throw error;
  }
}

/**
 * Throws KeyFileError when `path` is missing, not a regular file, or open to group or
 * others. `what` names the file in messages ("key file", "configuration file").
 */
export function checkPrivateFile(path: string, what: string): void {
  withPrivateFile(path, what, () => undefined);
}

/** The key held in `path`, as 64 hex digits; throws KeyFileError saying what to do. */
export function readKeyFile(path: string): string {
  if (!existsSync(path)) {
    throw new KeyFileError(`key file ${path} not found; create it with \`guillotine keys create ${path}\``);
  }
  const text = withPrivateFile(path, "key file", (fd) => readFileSync(fd, "latin1")).replace(/\r?\n$/, "");
  if (!isHex(text, KEY_HEX_CHARS)) {
    throw new KeyFileError(`key file ${path} must hold exactly ${KEY_HEX_CHARS} lowercase hex digits (a 32-byte key)`);
  }
  return text;
}

