/**
 * The JavaScript expressions provisioning evaluates on the board, written for Espruino
 * (ES5 only: no arrow functions, no spread; docs/espruino.md section 1). Each returns a small JSON
 * value; none ever returns a key: only lengths, digests and yes/no.
 */

const STORAGE = 'require("Storage")';

/** [BOARD, VERSION, has SHA256, has Storage.write]. */
export const BOARD_INFO = `[process.env.BOARD,process.env.VERSION,typeof require("crypto").SHA256,typeof ${STORAGE}.write]`;

/** The staging variable on the board; a global, removed after use. */
const STAGING_VARIABLE = "__guillotineConfig";

export function startStaging(): string {
  return `(${STAGING_VARIABLE}="").length`;
}

/** Appends `piece` to the staged text; the board answers the new total length. */
export function appendStaging(piece: string): string {
  return `(${STAGING_VARIABLE}+=${JSON.stringify(piece)}).length`;
}

export function writeStaging(file: string): string {
  return `${STORAGE}.write(${JSON.stringify(file)},${STAGING_VARIABLE})`;
}

export function dropStaging(): string {
  return `(${STAGING_VARIABLE}=undefined)===undefined`;
}

/** The board-side helper fileDigest calls, defined once so each statement stays short. */
const DIGEST_HELPER = "__gDigest";

/** Defines the digest helper; answers "function". */
export function defineDigestHelper(): string {
  return `typeof (${DIGEST_HELPER}=function(n){var s=${STORAGE}.read(n);` +
    'return s&&[s.length,[].slice.call(new Uint8Array(require("crypto").SHA256(s)))]})';
}

/** [length, [32 SHA-256 bytes]] of a stored file, or null when it does not exist. */
export function fileDigest(file: string): string {
  return `${DIGEST_HELPER}(${JSON.stringify(file)})`;
}

export function dropDigestHelper(): string {
  return `(${DIGEST_HELPER}=undefined)===undefined`;
}

/** The text of a file that holds no secret (state slots), or null when absent. */
export function readFile(file: string): string {
  return `(function(s){return s===undefined?null:s;})(${STORAGE}.read(${JSON.stringify(file)}))`;
}

export function copyFile(from: string, to: string): string {
  return `${STORAGE}.write(${JSON.stringify(to)},${STORAGE}.read(${JSON.stringify(from)}))`;
}

/** Erases a file; answers true once it is gone. */
export function eraseFile(file: string): string {
  return `(${STORAGE}.erase(${JSON.stringify(file)}),${STORAGE}.read(${JSON.stringify(file)})===undefined)`;
}
