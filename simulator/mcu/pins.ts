/**
 * The MCU's GPIO block: per pin a mode, a "manual" lock (pinMode was called) and an output
 * latch, plus whatever the outside world drives onto the pin. Resolves the level a read sees
 * and tells listeners when it changes (watches, the world's coil model).
 *
 * Electrical rules, strongest first: the MCU's push-pull output (or open-drain low); an
 * external contact or switch; the internal pull; otherwise the pin floats and reads 0 (an
 * STM32 pin in analog mode reads 0 digitally; a floating input is modelled the same way so
 * runs are deterministic).
 */
import { strict as assert } from "node:assert";

export type Level = 0 | 1;
export const PIN_MODES = ["analog", "input", "input_pullup", "input_pulldown", "output", "opendrain", "opendrain_pullup", "af_output", "af_opendrain"] as const;
export type PinMode = (typeof PIN_MODES)[number];
export type LevelSource = "mcu" | "external" | "pull" | "floating";

interface PinState {
  mode: PinMode;
  manual: boolean;
  latch: Level;
  external: Level | undefined;
  level: Level;
}

export type LevelListener = (pin: string, level: Level) => void;
export type DriveListener = (pin: string) => void;

function pullOf(mode: PinMode): Level | undefined {
  if (mode === "input_pullup" || mode === "opendrain_pullup") return 1;
  if (mode === "input_pulldown") return 0;
  return undefined;
}

export class PinBank {
  private pins = new Map<string, PinState>();
  private levelListeners: LevelListener[] = [];
  private driveListeners: DriveListener[] = [];

  /** `undrivenMode`: what every pin is at power-on and after reset() ("analog" on STM32). */
  constructor(
    names: readonly string[],
    private readonly undrivenMode: PinMode,
  ) {
    for (const name of names) this.pins.set(name, { mode: undrivenMode, manual: false, latch: 0, external: undefined, level: 0 });
  }

  names(): string[] {
    return [...this.pins.keys()];
  }

  has(name: string): boolean {
    return this.pins.has(name);
  }

  /** Called after any change of the resolved level of a pin. Returns an unsubscribe function. */
  onLevelChange(listener: LevelListener): () => void {
    this.levelListeners.push(listener);
    return () => (this.levelListeners = this.levelListeners.filter((other) => other !== listener));
  }

  /** Called after any change of what the MCU drives onto a pin (mode or latch). */
  onDriveChange(listener: DriveListener): void {
    this.driveListeners.push(listener);
  }

  mode(name: string): PinMode {
    return this.state(name).mode;
  }

  isManual(name: string): boolean {
    return this.state(name).manual;
  }

  setMode(name: string, mode: PinMode, manual: boolean): void {
    const pin = this.state(name);
    pin.manual = manual;
    if (pin.mode === mode) return;
    pin.mode = mode;
    this.changed(name, pin);
  }

  /** Sets the output latch; it reaches the pin only in an output or open-drain mode. */
  setLatch(name: string, level: Level): void {
    const pin = this.state(name);
    if (pin.latch === level) return;
    pin.latch = level;
    this.changed(name, pin);
  }

  /** What the outside world drives onto the pin; undefined = nothing connected or contact open. */
  setExternal(name: string, level: Level | undefined): void {
    const pin = this.state(name);
    if (pin.external === level) return;
    pin.external = level;
    this.refresh(name, pin);
  }

  level(name: string): Level {
    return this.state(name).level;
  }

  /** The MCU drives the pin high with a push-pull output: what a relay driver's gate needs. */
  drivesHigh(name: string): boolean {
    const pin = this.state(name);
    return (pin.mode === "output" || pin.mode === "af_output") && pin.latch === 1;
  }

  source(name: string): LevelSource {
    const pin = this.state(name);
    if (this.mcuDrive(pin) !== undefined) return "mcu";
    if (pin.external !== undefined) return "external";
    return pullOf(pin.mode) === undefined ? "floating" : "pull";
  }

  /** Power-on / reset state: every pin an undriven input, latches low, locks released. */
  resetAll(): void {
    for (const [name, pin] of this.pins) {
      pin.mode = this.undrivenMode;
      pin.manual = false;
      pin.latch = 0;
      this.changed(name, pin);
    }
  }

  private state(name: string): PinState {
    const pin = this.pins.get(name);
    assert(pin !== undefined, `no pin ${name} on this board`);
    return pin;
  }

  private mcuDrive(pin: PinState): Level | undefined {
    if (pin.mode === "output" || pin.mode === "af_output") return pin.latch;
    if ((pin.mode === "opendrain" || pin.mode === "opendrain_pullup" || pin.mode === "af_opendrain") && pin.latch === 0) return 0;
    return undefined;
  }

  private changed(name: string, pin: PinState): void {
    for (const listener of this.driveListeners) listener(name);
    this.refresh(name, pin);
  }

  private refresh(name: string, pin: PinState): void {
    const level = this.mcuDrive(pin) ?? pin.external ?? pullOf(pin.mode) ?? 0;
    if (level === pin.level) return;
    pin.level = level;
    for (const listener of this.levelListeners) listener(name, level);
  }
}
