/**
 * The microcontroller's hardware, which outlives any one interpreter: GPIO, serial devices,
 * the watchdog, the console routing and the RNG behind E.hwRand(). Soft resets (reset(),
 * load()) keep it; power loss and hardware resets put it back to its power-on state.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { Clock } from "../clock.ts";
import type { Rng } from "../rng.ts";
import { BAUD_DEFAULT } from "../world/serial-line.ts";
import { PinBank, type PinMode } from "./pins.ts";
import { rxQueueChars, Uart, uartKind, type RxQueue } from "./uart.ts";
import { Watchdog } from "./watchdog.ts";

export interface McuOptions {
  profile: BoardProfile;
  clock: Clock;
  rng: Rng;
  /** Peer baud rate for devices that are not a profile link. */
  baud: number | undefined;
  /** Bytes that left `device` and crossed its line. */
  output: (device: string, data: string) => void;
  idleLoopRunning: () => boolean;
  watchdogBite: () => void;
}

/** Devices each family has besides those the profile names. */
const FAMILY_DEVICES: Record<BoardProfile["mcuFamily"], string[]> = {
  stm32: ["USB", "Serial1", "Serial2", "Serial3", "LoopbackA", "LoopbackB"],
  nrf52: ["Bluetooth", "Serial1", "LoopbackA", "LoopbackB"],
  esp32: ["Serial1", "Serial2", "Serial3", "LoopbackA", "LoopbackB"],
};

/** A pin at power-on: analog input on STM32 (reads 0), disconnected input elsewhere. */
const UNDRIVEN_MODE: Record<BoardProfile["mcuFamily"], PinMode> = { stm32: "analog", nrf52: "input", esp32: "input" };

export function boardPinNames(profile: BoardProfile): string[] {
  const names = new Set(profile.pins);
  names.add(profile.led);
  for (const path of profile.paths) for (const relay of path.relays) names.add(relay.coil).add(relay.feedback);
  for (const input of Object.values(profile.inputs)) names.add(input.pin);
  for (const link of Object.values(profile.links)) for (const pin of [link.rx, link.tx]) if (pin !== undefined) names.add(pin);
  return [...names];
}

export class Mcu {
  readonly profile: BoardProfile;
  readonly pins: PinBank;
  readonly uarts = new Map<string, Uart>();
  /** Espruino's input queue, which every device's received bytes share. */
  readonly rxQueue: RxQueue;
  readonly watchdog: Watchdog;
  readonly hwRand: Rng;
  /** Behind Math.random (Espruino seeds it from hardware noise; here from the board's seed). */
  readonly mathRandom: Rng;
  console: { device: string | undefined; forced: boolean };
  powered = false;
  powerOnMs = 0;

  constructor(private readonly options: McuOptions) {
    const { profile, clock, rng } = options;
    this.rxQueue = { capacity: rxQueueChars(profile.mcuFamily), used: 0 };
    this.profile = profile;
    this.pins = new PinBank(boardPinNames(profile), UNDRIVEN_MODE[profile.mcuFamily]);
    this.hwRand = rng.derive("hwRand");
    this.mathRandom = rng.derive("Math.random");
    this.watchdog = new Watchdog({ clock, family: profile.mcuFamily, idleLoopRunning: options.idleLoopRunning, bite: options.watchdogBite });
    this.console = { device: profile.console, forced: false };
    for (const name of this.deviceNames()) this.addUart(name);
    this.uarts.get("LoopbackA")!.partner = this.uarts.get("LoopbackB");
    this.uarts.get("LoopbackB")!.partner = this.uarts.get("LoopbackA");
  }

  deviceNames(): string[] {
    const { profile } = this.options;
    return [...new Set([...FAMILY_DEVICES[profile.mcuFamily], profile.console, profile.links.host.device, profile.links.ops.device])];
  }

  uart(name: string): Uart | undefined {
    return this.uarts.get(name);
  }

  /** Supply on: pins undriven, devices idle, watchdog off, console on the programming port. */
  powerOn(): void {
    this.resetHardware();
    this.powered = true;
    this.powerOnMs = this.options.clock.nowMs();
  }

  powerOff(): void {
    this.powered = false;
    this.resetHardware();
  }

  private resetHardware(): void {
    this.watchdog.stop();
    this.pins.resetAll();
    for (const uart of this.uarts.values()) uart.reset();
    this.console = { device: this.options.profile.console, forced: false };
  }

  private addUart(name: string): void {
    const { profile, clock, rng, output } = this.options;
    const link = [profile.links.host, profile.links.ops].find((candidate) => candidate.device === name);
    const uart = new Uart({
      name,
      kind: uartKind(name),
      clock,
      rng: rng.derive(`uart:${name}`),
      peerBaud: link?.baud ?? this.options.baud ?? BAUD_DEFAULT,
      configuredAtBoot: name === profile.console,
      output: (data) => output(name, data),
      rxQueue: this.rxQueue,
    });
    this.uarts.set(name, uart);
  }
}
