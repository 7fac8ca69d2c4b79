/**
 * Entry point on the board. Uploading runs code as it arrives (docs/espruino.md section 2), so
 * nothing here touches a pin, a link or the console at top level: the controller starts from
 * E.on("init"), which runs after save() and on every boot.
 *
 * Every callback catches what it runs: an exception cuts every output and raises the level
 * (failSafe); a second exception inside that handling halts the watchdog kicks, so the board
 * resets into its persisted level.
 */
import "./tokenise.ts";
import { FIRMWARE_ID_GLOBAL, LINK_HOST, LINK_OPS, LEVEL_SEVERED } from "../../protocol/constants.ts";
import { Controller } from "../core/controller.ts";
import { INPUT_MAINTENANCE } from "../core/inputs.ts";
import { CONFIG_FILE, STATE_FILES } from "../../protocol/storage-names.ts";
import type { FirmwareProfile } from "../../hardware/profile-types.ts";
import { nowMs, readFeedback, readInputs, setCoils, setupPins } from "./board.ts";

const storage = require("Storage");
let devices: EspruinoDevice[];
let led: string;
let controller: Controller;
let halted = false;
let wakeTimer = 0;
let wakeAtMs = Infinity;

/** Drives the coils the controller commands, and tells it when (a relay settles from then). */
function driveCoils(): void {
  setCoils(controller.relays.coils);
  if (controller.relays.written(nowMs())) controller.scheduleWake();
}

/** Carries out the controller's actions: coils first, then flash, then frames. */
function apply(): void {
  driveCoils();
  digitalWrite(led, controller.level >= LEVEL_SEVERED ? 1 : 0);
  const writes = controller.writes;
  controller.writes = [];
  let failed = false;
  for (let i = 0; i < writes.length; i++) if (!storage.write(writes[i].name, writes[i].data)) failed = true;
  const outbox = controller.outbox;
  controller.outbox = [];
  for (let i = 0; i < outbox.length; i++) devices[outbox[i].link].write(outbox[i].text);
  if (failed) throw new Error("flash write failed");
  scheduleWake();
}

/** Cuts every output; then tries to record the fault. Never returns with a path closed. */
function failSafe(): void {
  setCoils(0);
  try {
    controller.exception(nowMs());
    apply();
  } catch (e) {
    setCoils(0);
    halted = true;
  }
}

/** One control cycle: read everything, step the core, act, and only then kick the watchdog. */
function cycle(): void {
  if (halted) return;
  try {
    controller.tick(nowMs(), readFeedback(), readInputs(), E.getErrorFlags());
    apply();
    // Reached only when the cycle and its actions ran without an exception.
    E.kickWatchdog();
  } catch (e) {
    failSafe();
  }
}

function onWake(): void {
  wakeTimer = 0;
  wakeAtMs = Infinity;
  cycle();
}

/** Arms one timer for the controller's next deadline when it comes before the next cycle. */
function scheduleWake(): void {
  const at = controller.wakeAtMs;
  if (at === Infinity || at >= wakeAtMs) return;
  if (wakeTimer) clearTimeout(wakeTimer);
  wakeAtMs = at;
  wakeTimer = setTimeout(onWake, Math.max(0, at - nowMs()));
}

function receive(link: number, data: string): void {
  if (halted) return;
  try {
    controller.receive(link, data, nowMs());
    apply();
  } catch (e) {
    failSafe();
  }
}

function onHostData(data: string): void {
  receive(LINK_HOST, data);
}

function onOpsData(data: string): void {
  receive(LINK_OPS, data);
}

/** Boot: outputs safe first, then console, links, controller, watchdog, timers. */
function start(): void {
  // Parsed here, not held: what only the boot reads is garbage once start() returns.
  const profile: FirmwareProfile = JSON.parse(__PROFILE__);
  setupPins(profile);
  led = profile.led;
  const inputs = readInputs();
  controller = new Controller(profile.kinds, __FIRMWARE_VERSION__, profile.watchdogMs);
  controller.driveCoils = driveCoils;
  let entropy = "";
  for (let i = 0; i < 8; i++) entropy += E.hwRand() + ",";
  controller.start({
    configFile: storage.read(CONFIG_FILE),
    stateSlots: [storage.read(STATE_FILES[0]), storage.read(STATE_FILES[1])],
    entropy: entropy + nowMs(),
    inputs: inputs,
    nowMs: nowMs(),
  });
  // The REPL stays on the programming port only in maintenance mode; otherwise it goes
  // nowhere reachable, and never to the host or ops link.
  E.setConsole(controller.maintenance ? profile.console : "LoopbackA", { force: true });
  const handlers = [onHostData, onOpsData];
  devices = [];
  for (let l = 0; l < profile.links.length; l++) {
    const link = profile.links[l];
    const device = global[link.device] as EspruinoDevice;
    devices.push(device);
    if (device.setup !== undefined && link.tx !== undefined) device.setup(link.baud, { rx: link.rx, tx: link.tx });
    device.on("data", handlers[l]);
  }
  apply();
  E.enableWatchdog(profile.watchdogMs / 1000, false);
  setInterval(cycle, controller.config.cycleMs);
  // Running out of memory removes the interval it struck in: trip and persist now, before the
  // watchdog bites, so the errorflag cause survives the reset.
  E.on("errorFlag", cycle);
  // E-stop, tamper and arm act at once, not at the next cycle; maintenance is read at boot only.
  for (let k = 0; k < profile.inputs.length; k++) {
    if (1 << k !== INPUT_MAINTENANCE) setWatch(cycle, profile.inputs[k], { repeat: true, edge: "both", debounce: 5 });
  }
  // Last: its presence tells `guillotine flash` that start() ran to the end on this board.
  global[FIRMWARE_ID_GLOBAL] = __FIRMWARE_ID__;
}

E.on("init", start);
