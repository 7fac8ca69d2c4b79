/**
 * The shape of a board profile (hardware/profiles/<BOARD>.json), the single source of pin
 * truth for the firmware build and the simulator. hardware/profile.ts loads and validates one.
 */

/** What a path switches. Network and power paths close while the level allows; the
 *  decapitation and immolation actuators are pulsed once on entering their level. */
export type PathKind = "network" | "power" | "decapitation" | "immolation";

export interface RelayPins {
  /** Output driving the relay coil through a driver with a pull-down: high energises. */
  coil: string;
  /** Input on the force-guided mirror contact: reads high while the relay is released. */
  feedback: string;
}

export interface PathProfile {
  name: string;
  kind: PathKind;
  /** Exactly two relays in series (1oo2): the path conducts only while both are energised. */
  relays: [RelayPins, RelayPins];
}

export interface InputProfile {
  pin: string;
  /** Pin level when the input is active. */
  active: "high" | "low";
  /** Internal pull the firmware enables, chosen so that a broken wire reads as the fail-safe state. */
  pull: "up" | "down" | "none";
}

export interface LinkProfile {
  /** Espruino device name: "Serial1", "Serial2", ... or "Bluetooth" on boards with one UART. */
  device: string;
  tx?: string;
  rx?: string;
  baud: number;
}

export interface BoardProfile {
  /** Profile id, used in file names: dist/firmware-<id>.js. */
  id: string;
  /** Human name. */
  name: string;
  /** Espruino's board id as in process.env.BOARD (e.g. "PICO_R1_3"). */
  espruinoBoard: string;
  /** MCU family, for watch-conflict rules: "stm32", "nrf52" or "esp32". */
  mcuFamily: "stm32" | "nrf52" | "esp32";
  /** JS variables the interpreter has on this board. */
  variables: number;
  /** Every pin name the board exposes for GPIO. */
  pins: string[];
  /** The programming-port console device (REPL in maintenance mode only). */
  console: string;
  paths: PathProfile[];
  inputs: { estop: InputProfile; tamper: InputProfile; arm: InputProfile; maintenance: InputProfile };
  /** Status LED, high = on. */
  led: string;
  links: { host: LinkProfile; ops: LinkProfile };
  /** Whether require("crypto").SHA256 exists on this board (the firmware needs it). */
  sha256: boolean;
}

/**
 * The part of a profile compiled into the firmware bundle, flattened by the build into the
 * form the board layer uses as it is, so the bundle carries no code to interpret a profile.
 */
export interface FirmwareProfile {
  console: string;
  /** Path kinds, one per path, as indexes into KIND_NAMES (firmware/core/inputs.ts). */
  kinds: number[];
  /** Coil and feedback pin of every relay, path by path: relays 2p and 2p+1 are path p's. */
  coils: string[];
  feedbacks: string[];
  /** Input pins in INPUT_* bit order (estop, tamper, arm, maintenance), their pinMode, and bit k set when input k is active high. */
  inputs: string[];
  inputModes: string[];
  inputsActiveHigh: number;
  led: string;
  /** The host link, then the ops link. */
  links: LinkProfile[];
  /** The watchdog timeout this MCU really gives for the firmware's request (set by the build). */
  watchdogMs: number;
}
