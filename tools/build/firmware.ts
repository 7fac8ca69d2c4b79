/**
 * The firmware for one board profile: compile firmware/espruino/main.ts with that profile
 * built in, check the result against Espruino's limits and the flash budget. Used by the
 * build CLI (build.ts) and by anything that needs a firmware image (simulator tests, bench).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { boardWatchdogMs, inputPinMode, loadProfile } from "../../hardware/profile.ts";
import type { BoardProfile, FirmwareProfile } from "../../hardware/profile-types.ts";
import { KIND_NAMES } from "../../firmware/core/inputs.ts";
import { checkBundle } from "./check-bundle.ts";
import { firmwareId } from "../../protocol/firmware-id.ts";
import { compileEntry } from "./pipeline.ts";
import { firmwarePropertyNames } from "./property-names.ts";

/**
 * Hard limit: a bundle over it is not written. The budget is BUNDLE_BYTES_TARGET,
 * which the firmware cannot reach without identifier renaming (docs/firmware.md, "Size"); so
 * the build reports the excess on every run and fails past this limit, set just above today's
 * bundles so that any growth is a decision.
 */
export const BUNDLE_BYTES_MAX = 24_576;
/** The size every bundle should reach: 16 KiB (aim: 10 KiB). */
export const BUNDLE_BYTES_TARGET = 16_384;

/**
 * The firmware's top-level names that stay as written: `firmware` for the maintenance console,
 * and what the CPU-time calibration (simulator/testing/cpu-figures.ts) reaches: the HMAC's
 * parts, which it runs on their own; start-up, which it times; the clock it hands a heartbeat;
 * the wake timer it resets between measurements. Every other top-level name is shortened by
 * the build.
 */
export const FIRMWARE_PUBLIC_NAMES = ["firmware", "start", "nowMs", "wakeTimer", "crypto", "sha256", "sha256Text", "toHex", "HmacKey", "tag", "tagMatches"];

/**
 * The property names that stay as written although the firmware alone declares them, because
 * the console, the CPU-time calibration and the bench reach them: the firmware's controller,
 * control cycle, halt and wake state; the controller's session nonce, frame intake and outbox,
 * its last heartbeat and sequence number; an HMAC key's padded blocks. Every other property
 * name of the firmware's own is shortened where property-names.ts proves it safe.
 */
export const FIRMWARE_PUBLIC_PROPERTIES = ["controller", "cycle", "halted", "wakeAtMs", "sessionNonce", "receive", "outbox", "lastHeartbeatMs", "lastSeq", "innerText", "outerText"];

const FIRMWARE_TSCONFIG_PATH = fileURLToPath(new URL("../../firmware/tsconfig.json", import.meta.url));
let shortProperties: string[] | undefined;

const FIRMWARE_ENTRY_PATH = fileURLToPath(new URL("../../firmware/espruino/main.ts", import.meta.url));
const PACKAGE_JSON_URL = new URL("../../package.json", import.meta.url);

/** A compiled firmware with every problem found in it. */
export interface CompiledFirmware {
  boardId: string;
  /** File name under dist/, e.g. "firmware-PICO.js". */
  fileName: string;
  code: string;
  /** UTF-8 size of `code`. */
  bytes: number;
  /** Checker violations and the budget overrun, each naming file, line, column and construct. */
  problems: string[];
}

/**
 * What the firmware reads of a profile, flattened; the rest would only cost bundle bytes. It
 * goes into the bundle as JSON text that start() parses, so what only the boot reads (console,
 * links, pin modes, watchdog) is garbage once the board runs, instead of held for good.
 */
export function firmwareProfile(profile: BoardProfile): FirmwareProfile {
  const relays = profile.paths.flatMap((path) => path.relays);
  const { estop, tamper, arm, maintenance } = profile.inputs;
  const inputs = [estop, tamper, arm, maintenance];
  return {
    console: profile.console,
    kinds: profile.paths.map((path) => KIND_NAMES.indexOf(path.kind)),
    coils: relays.map((relay) => relay.coil),
    feedbacks: relays.map((relay) => relay.feedback),
    inputs: inputs.map((input) => input.pin),
    inputModes: inputs.map((input) => inputPinMode(input)),
    inputsActiveHigh: inputs.reduce((bits, input, k) => (input.active === "high" ? bits | (1 << k) : bits), 0),
    led: profile.led,
    links: [profile.links.host, profile.links.ops],
    watchdogMs: boardWatchdogMs(profile),
  };
}

/** Compiles the firmware for `boardId` and lists its problems; throws only when it cannot compile. */
export async function compileFirmware(boardId: string): Promise<CompiledFirmware> {
  const profile = loadProfile(boardId);
  const version = (JSON.parse(readFileSync(PACKAGE_JSON_URL, "utf8")) as { version: string }).version;
  const code = await compileEntry(FIRMWARE_ENTRY_PATH, {
    __PROFILE__: JSON.stringify(JSON.stringify(firmwareProfile(profile))),
    __FIRMWARE_VERSION__: JSON.stringify(version),
    __FIRMWARE_ID__: JSON.stringify(firmwareId(version, boardId)),
  }, FIRMWARE_PUBLIC_NAMES, (shortProperties ??= firmwarePropertyNames(FIRMWARE_TSCONFIG_PATH, FIRMWARE_PUBLIC_PROPERTIES).shorten));
  const fileName = `firmware-${boardId}.js`;
  const bytes = Buffer.byteLength(code, "utf8");
  const problems = checkBundle(code).map((violation) => `${fileName}:${violation}`);
  if (bytes > BUNDLE_BYTES_MAX) {
    problems.push(`${fileName}: ${bytes.toLocaleString("en-US")} bytes exceeds the budget of ${BUNDLE_BYTES_MAX.toLocaleString("en-US")} bytes; shrink the firmware (shorter strings, fewer helpers, work moved to the host) or raise BUNDLE_BYTES_MAX in tools/build/firmware.ts knowing what it costs the MDBT42Q's RAM`);
  }
  return { boardId, fileName, code, bytes, problems };
}

/** The firmware for `boardId`; throws with every problem listed unless it is fit to upload. */
export async function buildFirmware(boardId: string): Promise<{ code: string; bytes: number }> {
  const firmware = await compileFirmware(boardId);
  if (firmware.problems.length > 0) {
    throw new Error(`firmware for ${boardId} is not fit for Espruino:\n${firmware.problems.join("\n")}`);
  }
  return { code: firmware.code, bytes: firmware.bytes };
}
