/** Creates a fresh key file: 32 random bytes as 64 hex digits, mode 0600, never overwriting. */
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, openSync, writeSync } from "node:fs";
import { KEY_HEX_CHARS } from "../../protocol/constants.ts";

const KEY_FILE_MODE = 0o600;

export class KeyExistsError extends Error {}

/** Writes a new key to `path`; throws KeyExistsError if the file exists. */
export function createKeyFile(path: string): void {
  let fd: number;
  try {
    // "wx" fails if the path exists, so a key is never replaced, even in a race.
    fd = openSync(path, "wx", KEY_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new KeyExistsError(`${path} already exists; refusing to overwrite a key (remove it yourself if you mean to replace it)`);
    }
    throw error;
  }
  try {
    // The umask cannot widen 0600, but set it explicitly in case the file system ignores it.
    fchmodSync(fd, KEY_FILE_MODE);
    writeSync(fd, randomBytes(KEY_HEX_CHARS / 2).toString("hex") + "\n");
  } finally {
    closeSync(fd);
  }
}
