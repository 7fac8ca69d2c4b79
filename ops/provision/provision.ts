/**
 * Writes a controller configuration over the Espruino console in maintenance mode, so that
 * nothing already stored is lost when anything goes wrong:
 *
 *  1. check the board (crypto.SHA256 and Storage present, and a watchdog no slower than the
 *     configuration's shortest heartbeat deadline, which the controller would refuse);
 *  2. stage the new file in RAM piece by piece, each piece's running length checked;
 *  3. write it to CONFIG_STAGING_FILE and compare the board's SHA-256 of it with ours;
 *  4. save the state slots (level and event log) to a local backup, then erase them, so the
 *     controller boots offline (docs/design.md: a freshly provisioned controller boots offline);
 *  5. copy the verified staging file over CONFIG_FILE and compare its SHA-256 again;
 *  6. erase the staging file and check the state slots are still gone.
 *
 * A failure in 1-3 leaves the board exactly as it was. Storage has no rename, so 4-5 are not
 * atomic; a failure there leaves a controller without state or configuration, which boots
 * offline (cause `state` or `config`), with the verified copy still in the staging file:
 * running provision again completes it. Keys are sent once and never read back.
 */
import { boardWatchdogMs, profileForEspruinoBoard } from "../../hardware/profile.ts";
import { sha256HexOfText } from "../../kit/crypto.ts";
import type { EspruinoConsole } from "../../kit/console/espruino-console.ts";
import * as statements from "./board-statements.ts";
import { CONFIG_FILE, STATE_FILES } from "../../protocol/storage-names.ts";

/** Where a new configuration is written and verified before it replaces CONFIG_FILE (at most 28 characters, Storage's limit). */
const CONFIG_STAGING_FILE = CONFIG_FILE + ".new";

export class ProvisionError extends Error {}

export const PROVISION_STEPS = 6;
/** Characters of configuration text per statement: even fully escaped, the statement fits STATEMENT_CHARS_MAX. */
const PIECE_CHARS = 48;

export interface ProvisionResult {
  board: string;
  espruinoVersion: string;
  /** SHA-256 of the stored file, as the board computed it. */
  storedDigest: string;
  /** State slots saved before erasing them (file name to text); empty when there were none. */
  savedState: Record<string, string>;
}

export interface ProvisionOptions {
  console: EspruinoConsole;
  /** The exact file text to store: `<sha256> <json>` (storedConfig). */
  fileText: string;
  /** The configuration's shortest heartbeat deadline (probation's). */
  shortestDeadlineMs: number;
  progress: (step: number, text: string) => void;
  /** Called with the old state slots before they are erased, to keep them safe. */
  saveState: (state: Record<string, string>) => Promise<void>;
}

async function checkBoard(console: EspruinoConsole): Promise<{ board: string; version: string }> {
  const info = (await console.evaluate(statements.BOARD_INFO)) as unknown[];
  if (!Array.isArray(info) || info[2] !== "function" || info[3] !== "function") {
    throw new ProvisionError("this board lacks require(\"crypto\").SHA256 or Storage; the firmware cannot run on it");
  }
  if ((await console.evaluate(statements.defineDigestHelper())) !== "function") {
    throw new ProvisionError("the board did not take the digest helper");
  }
  return { board: String(info[0]), version: String(info[1]) };
}

async function stage(console: EspruinoConsole, fileText: string, progress: ProvisionOptions["progress"]): Promise<void> {
  await console.evaluate(statements.startStaging());
  for (let offset = 0; offset < fileText.length; offset += PIECE_CHARS) {
    const piece = fileText.slice(offset, offset + PIECE_CHARS);
    const length = await console.evaluate(statements.appendStaging(piece));
    if (length !== offset + piece.length) {
      throw new ProvisionError(`the board holds ${String(length)} characters after sending ${offset + piece.length}: the link lost data. Nothing was stored; try again.`);
    }
    progress(2, `sent ${offset + piece.length}/${fileText.length} characters`);
  }
}

async function expectDigest(console: EspruinoConsole, file: string, fileText: string): Promise<string> {
  const answer = await console.evaluate(statements.fileDigest(file));
  const expected = sha256HexOfText(fileText);
  const [length, bytes] = Array.isArray(answer) ? answer : [undefined, undefined];
  const digest = Array.isArray(bytes) ? Buffer.from(bytes as number[]).toString("hex") : "none";
  if (length !== fileText.length || digest !== expected) {
    throw new ProvisionError(`${file} on the board does not match what was sent: it holds ${String(length)} characters with SHA-256 ${digest}; expected ${fileText.length} with ${expected}`);
  }
  return expected;
}

async function saveAndEraseState(options: ProvisionOptions): Promise<Record<string, string>> {
  const saved: Record<string, string> = {};
  for (const file of STATE_FILES) {
    const text = await options.console.evaluate(statements.readFile(file));
    if (typeof text === "string") saved[file] = text;
  }
  if (Object.keys(saved).length > 0) await options.saveState(saved);
  for (const file of STATE_FILES) {
    if ((await options.console.evaluate(statements.eraseFile(file))) !== true) {
      throw new ProvisionError(`could not erase ${file}; the configuration was not replaced. Try again.`);
    }
  }
  return saved;
}

export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  const { console, fileText, progress } = options;
  if (!/^[\x20-\x7e]*$/.test(fileText)) throw new ProvisionError("the configuration text must be printable ASCII");
  progress(1, "checking the board");
  const { board, version } = await checkBoard(console);
  const profile = profileForEspruinoBoard(board);
  if (profile !== undefined && options.shortestDeadlineMs < boardWatchdogMs(profile)) {
    const watchdogMs = boardWatchdogMs(profile);
    throw new ProvisionError(`the ${profile.name}'s watchdog bites after ${watchdogMs} ms, later than the configuration's shortest heartbeat deadline (${options.shortestDeadlineMs} ms): the controller would refuse it and stay offline. Set every deadlineMs to at least ${watchdogMs}. Nothing was stored.`);
  }
  progress(2, "staging the configuration in the board's RAM");
  try {
    await stage(console, fileText, progress);
    progress(3, `writing ${CONFIG_STAGING_FILE} and verifying its SHA-256`);
    if ((await console.evaluate(statements.writeStaging(CONFIG_STAGING_FILE))) !== true) {
      throw new ProvisionError(`Storage refused to write ${CONFIG_STAGING_FILE} (flash full? try require("Storage").compact())`);
    }
  } finally {
    // The staged text holds the keys: never leave it in the board's RAM.
    await console.evaluate(statements.dropStaging()).catch(() => undefined);
  }
  await expectDigest(console, CONFIG_STAGING_FILE, fileText);
  progress(4, `saving and erasing the state slots ${STATE_FILES.join(", ")}`);
  const savedState = await saveAndEraseState(options);
  progress(5, `replacing ${CONFIG_FILE} and verifying its SHA-256`);
  if ((await console.evaluate(statements.copyFile(CONFIG_STAGING_FILE, CONFIG_FILE))) !== true) {
    throw new ProvisionError(`Storage refused to write ${CONFIG_FILE}; the verified copy stays in ${CONFIG_STAGING_FILE}: run provision again`);
  }
  const storedDigest = await expectDigest(console, CONFIG_FILE, fileText);
  progress(6, `removing ${CONFIG_STAGING_FILE} and checking the state slots stay empty`);
  for (const file of [CONFIG_STAGING_FILE, ...STATE_FILES]) {
    if ((await console.evaluate(statements.eraseFile(file))) !== true) throw new ProvisionError(`could not erase ${file}`);
  }
  await console.evaluate(statements.dropDigestHelper());
  return { board, espruinoVersion: version, storedDigest, savedState };
}
