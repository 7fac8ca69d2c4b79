/**
 * The console statements `guillotine flash` sends, in one place. Each fits one line of
 * STATEMENT_CHARS_MAX (kit/console/espruino-console.ts) and is an expression whose JSON
 * value the console reads back.
 */
import { inputPinMode } from "../../hardware/profile.ts";
import type { BoardProfile } from "../../hardware/profile-types.ts";

import { FIRMWARE_ID_GLOBAL } from "../../protocol/constants.ts";

/** 1 when the maintenance strap is fitted. pinMode first: a fresh board has no pull set on the pin yet. */
export function maintenanceStrap(profile: BoardProfile): string {
  const strap = profile.inputs.maintenance;
  return `(pinMode(${strap.pin},"${inputPinMode(strap)}"),digitalRead(${strap.pin})==${strap.active === "high" ? 1 : 0}?1:0)`;
}

/**
 * Hands the watchdog to the idle loop (isAuto) with a timeout of a few seconds: nothing kicks a
 * firmware's manual watchdog once reset() has stopped it, so without this a running
 * firmware's watchdog would reset the board in the middle of the upload, and a 1 KB Storage
 * write may take longer than the firmware's 250 ms. A hardware watchdog cannot be stopped;
 * the new firmware sets its own timeout and manual kicks when it starts. (STM32 and ESP32
 * take the new timeout; an nRF52 keeps the one it runs with, and only gains the idle-loop kicks.)
 */
export const WATCHDOG_TO_IDLE_LOOP = "E.enableWatchdog(5,true)";

/**
 * reset(true) erases exactly Espruino's saved code (.varimg, .bootcde, .bootrst; jsflash.c
 * jsfRemoveCodeFromFlash) and no other Storage file, then resets the interpreter once idle.
 * An old RAM image would otherwise load before the new boot code, and an old .bootrst would
 * run after every reset().
 */
export const ERASE_SAVED_CODE = "reset(true)";

/** Reclaims the trash of erased and replaced files, so the figures read after the install are what the log and state slots have left. */
export const COMPACT_STORAGE = 'require("Storage").compact()';

/** Restarts the interpreter from flash as at power-on (boot code, then the init handlers); the console stays connected. */
export const LOAD_FROM_FLASH = "load()";

export const STARTED_FIRMWARE = `global.${FIRMWARE_ID_GLOBAL}`;

/** [BOARD, VERSION, process.memory(), Storage.getStats(), Storage.list()]: the figures of the proof. */
export const FIGURES = '[process.env.BOARD,process.env.VERSION,process.memory(),require("Storage").getStats(),require("Storage").list()]';
