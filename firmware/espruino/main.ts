/**
 * Entry point on the board. Uploading runs code as it arrives (docs/espruino.md section 2), so
 * nothing here touches a pin, a link or the console at top level: the firmware starts from
 * E.on("init"), which runs on every boot.
 */
import "./tokenise.ts";
import { FIRMWARE_ID_GLOBAL } from "../../protocol/constants.ts";
import type { FirmwareProfile } from "../../hardware/profile-types.ts";
import { Firmware } from "../firmware.ts";
import { espruinoBoard } from "./board.ts";

/** The controller on this board; the maintenance console reads it as `firmware.controller`. */
let firmware: Firmware;

/** Boot: outputs safe first (espruinoBoard), then the firmware. */
function start(): void {
  // Parsed here, not held: what only the boot reads is garbage once start() returns.
  const profile: FirmwareProfile = JSON.parse(__PROFILE__);
  firmware = new Firmware(espruinoBoard(profile), profile.kinds, __FIRMWARE_VERSION__, profile.watchdogMs);
  firmware.start();
  // Last: its presence tells `guillotine flash` that start() ran to the end on this board.
  global[FIRMWARE_ID_GLOBAL] = __FIRMWARE_ID__;
}

E.on("init", start);
