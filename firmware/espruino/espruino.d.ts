/**
 * The few Espruino globals the board layer uses (docs/espruino.md section 2), typed for tsc.
 * Only firmware/espruino/ may use them; the core never does.
 */
declare function pinMode(pin: string, mode: string): void;
/** An array of pins writes the bits of `value`, the last pin bit 0. */
declare function digitalWrite(pin: string | string[], value: number | boolean): void;
/** An array of pins reads as one number, the last pin bit 0. */
declare function digitalRead(pin: string | string[]): number;
declare function setWatch(fn: (e: { state: boolean; time: number; lastTime: number }) => void, pin: string, options: { repeat: boolean; edge: string; debounce: number }): number;
declare function getTime(): number;
declare function setInterval(fn: () => void, ms: number): number;
declare function setTimeout(fn: () => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function require(name: "crypto"): { SHA256(data: Uint8Array | string): ArrayBuffer };
declare function require(name: "Storage"): { read(name: string): string | undefined; write(name: string, data: string): boolean };
declare const E: {
  on(event: string, fn: () => void): void;
  enableWatchdog(seconds: number, isAuto: boolean): void;
  kickWatchdog(): void;
  hwRand(): number;
  getErrorFlags(): string[];
  setConsole(device: string | null, options: { force: boolean }): void;
  setFlags(flags: { pretokenise?: number }): void;
  toString(data: ArrayBuffer): string;
};
/** Espruino's root scope, where Serial1, USB, Bluetooth and friends live. */
declare const global: { [name: string]: unknown };
interface EspruinoDevice {
  setup?: (baud: number, options: { rx?: string; tx?: string }) => void;
  write(data: string): void;
  on(event: "data", fn: (data: string) => void): void;
}
/** Filled in by tools/build from hardware/profiles/<BOARD>.json. */
/** JSON text of a FirmwareProfile (hardware/profile-types.ts). */
declare const __PROFILE__: string;
declare const __FIRMWARE_VERSION__: string;
/** "guillotine <version> <board profile>" (tools/build/firmware.ts firmwareId). */
declare const __FIRMWARE_ID__: string;
