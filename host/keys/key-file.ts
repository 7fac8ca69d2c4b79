/**
 * Reads a host or operator key file: 64 lowercase hex digits (32 bytes), optionally followed by
 * a newline. A key readable by group or others is refused, like ssh refuses a private key with
 * loose permissions: a leaked heartbeat key lets anyone keep the paths closed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { KEY_HEX_CHARS } from "../../protocol/constants.ts";
import { isHex } from "../../protocol/hex.ts";

export class KeyFileError extends Error {}

/** Permission bits that must be clear on a key file. */
const GROUP_OR_OTHER_BITS = 0o077;

/**
 * Throws KeyFileError when `path` is missing or open to group or others. `what` names the
 * file in messages ("key file", "configuration file").
 */
export function checkPrivateFile(path: string, what: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new KeyFileError(`${what} ${path} not found`);
  }
  if ((mode & GROUP_OR_OTHER_BITS) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new KeyFileError(
      `${what} ${path} is readable or writable by group or others (mode ${octal}); ` +
        `refusing to use it. Run \`chmod 600 ${path}\` and make sure nobody else copied it.`,
    );
  }
}

/** The key held in `path`, as 64 hex digits; throws KeyFileError saying what to do. */
export function readKeyFile(path: string): string {
  if (!existsSync(path)) {
    throw new KeyFileError(`key file ${path} not found; create it with \`guillotine keys create ${path}\``);
  }
  checkPrivateFile(path, "key file");
  const text = readFileSync(path, "latin1").replace(/\r?\n$/, "");
  if (!isHex(text, KEY_HEX_CHARS)) {
    throw new KeyFileError(`key file ${path} must hold exactly ${KEY_HEX_CHARS} lowercase hex digits (a 32-byte key)`);
  }
  return text;
}
