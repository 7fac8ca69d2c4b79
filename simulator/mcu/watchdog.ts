/**
 * The hardware watchdog. Once enabled it cannot be stopped (only a hardware reset does);
 * soft interpreter resets (reset(), load(), save()) leave it running. In automatic mode the
 * idle loop kicks it, so only a hung interpreter starves it; otherwise only E.kickWatchdog()
 * does. When it bites, the board resets.
 */
import type { Clock } from "../clock.ts";

export type McuFamily = "stm32" | "nrf52" | "esp32";

/** Timeout range per family in seconds (docs/espruino.md section 2: STM32 roughly 13 ms to 26 s; ESP32 whole seconds). */
export const WATCHDOG_RANGE_S: Record<McuFamily, { min: number; max: number; wholeSeconds: boolean }> = {
  stm32: { min: 0.013, max: 26, wholeSeconds: false },
  nrf52: { min: 0.001, max: 131072, wholeSeconds: false },
  esp32: { min: 1, max: 3600, wholeSeconds: true },
};

export interface WatchdogOptions {
  clock: Clock;
  family: McuFamily;
  /** Whether the idle loop is running (powered, not hung): it is what kicks in automatic mode. */
  idleLoopRunning: () => boolean;
  bite: () => void;
}

export class Watchdog {
  enabled = false;
  auto = false;
  timeoutMs = 0;
  lastKickMs: number | undefined;
  private timerId: number | undefined;

  constructor(private readonly options: WatchdogOptions) {}

  /** E.enableWatchdog(seconds, isAuto): out-of-range timeouts are clamped as the hardware does. */
  enable(seconds: number, auto: boolean): void {
    const range = WATCHDOG_RANGE_S[this.options.family];
    let clamped = Math.min(range.max, Math.max(range.min, Number.isFinite(seconds) ? seconds : range.max));
    if (range.wholeSeconds) clamped = Math.max(range.min, Math.round(clamped));
    this.enabled = true;
    this.auto = auto;
    this.timeoutMs = clamped * 1000;
    this.lastKickMs = this.options.clock.nowMs();
    this.arm();
  }

  /** Cheap: moves the deadline; the single pending timer re-arms itself when it finds a later one. */
  kick(): void {
    if (!this.enabled) return;
    this.lastKickMs = this.options.clock.nowMs();
    if (this.timerId === undefined) this.arm();
  }

  /** Hardware reset or power loss: the only things that stop it. */
  stop(): void {
    if (this.timerId !== undefined) this.options.clock.clearTimer(this.timerId);
    this.timerId = undefined;
    this.enabled = false;
    this.auto = false;
    this.lastKickMs = undefined;
  }

  private arm(): void {
    if (this.timerId !== undefined) this.options.clock.clearTimer(this.timerId);
    this.timerId = this.options.clock.setTimer(this.lastKickMs! + this.timeoutMs, () => this.expire(), true);
  }

  private expire(): void {
    this.timerId = undefined;
    if (this.auto && this.options.idleLoopRunning()) this.lastKickMs = this.options.clock.nowMs();
    if (this.options.clock.nowMs() < this.lastKickMs! + this.timeoutMs) return this.arm();
    this.stop();
    this.options.bite();
  }
}
