/**
 * The simulated board: an Espruino-like interpreter (simulator/interpreter/, its REPL in
 * simulator/repl/, its API in simulator/espruino-api/) on the MCU's peripherals
 * (simulator/mcu/), wired to a model of the hardware around it (simulator/world/): relays with force-guided feedback contacts,
 * switches, serial lines paced at their baud rate, flash and power. It runs the very bundle
 * `make build` produces (dist/firmware-<BOARD>.js).
 *
 * Everything happens on the given Clock: with a VirtualClock nothing moves until the test
 * advances time, and the same seed and the same calls give the same run.
 *
 * Serial data is a "binary string": one char per byte, codes 0-255, as Espruino itself hands
 * data to `.on("data")`. Convert with Buffer.from(data, "latin1").
 *
 * Usage:
 *   const clock = new VirtualClock();
 *   const board = new SimulatedBoard({ profile: loadProfile("PICO"), clock, flash: new Flash(), seed: 7 });
 *   board.flashBundle(readFileSync("dist/firmware-PICO.js", "utf8"));
 *   board.onSerialOutput((device, data) => ...);
 *   board.powerOn();
 *   clock.advance(1000);
 *   board.serialInput("Serial1", "SYNC\n");
 *
 * The REPL line discipline (simulator/repl/repl.ts) plugs in with attachRepl(): the board
 * hands it the bytes that reach the console device, it answers with evaluate() and
 * consoleWrite(). Without one, bytes reaching the console are dropped.
 */
import { strict as assert } from "node:assert";
import type { BoardProfile } from "../hardware/profile-types.ts";
import type { Clock } from "./clock.ts";
import { injectFault, type FaultTarget } from "./fault-injection.ts";
import type { ErrorFlag, Fault } from "./faults.ts";
import { type Flash } from "./flash.ts";
import { BOOT_CODE_FILE, BOOT_CODE_RESET_FILE, SAVED_CODE_FILE } from "../protocol/storage-names.ts";
import { Rng } from "./rng.ts";
import { binaryStringToBytes, bytesToBinaryString } from "./interpreter/bytes.ts";
import type { ConsoleLineDiscipline, InterpreterHost } from "./interpreter/host.ts";
import { Interpreter, type BootMode, type EvalResult } from "./interpreter/interpreter.ts";
import { Mcu } from "./mcu/mcu.ts";
import { memoryReport } from "./espruino-api/process-api.ts";
import { snapshotBoard, type BoardSnapshot, type ConsoleState } from "./snapshot.ts";
import type { InputName, ResetCause, WorldEvent, WorldEventListener } from "./world/events.ts";
import { RELAY_TIMING_DEFAULT, type RelayTiming } from "./world/relay-timing.ts";
import { World } from "./world/world.ts";

export type { ErrorFlag, Fault } from "./faults.ts";
export type { ConsoleLineDiscipline } from "./interpreter/host.ts";
export type { EvalResult } from "./interpreter/interpreter.ts";
export type { BoardSnapshot, ConsoleState, PinSnapshot, RelaySnapshot } from "./snapshot.ts";
export type { InputName, ResetCause, WorldEvent, WorldEventListener } from "./world/events.ts";

export interface SimulatedBoardOptions {
  profile: BoardProfile;
  clock: Clock;
  /** Survives power cycles; give the same Flash to a new board to model a process restart. */
  flash: Flash;
  /** Seeds every random choice of this board (relay bounce, E.hwRand, fault cuts, noise). */
  seed: number;
  relayTiming?: Partial<RelayTiming>;
  /** Peer baud rate of devices that are not a profile link (those use the link's). Default 115200. */
  baud?: number;
  /**
   * Wall-clock limit for one JavaScript callback; a callback that runs longer is taken as a
   * firmware hang (only the watchdog gets the board back). Off by default: the guard costs
   * ~0.1 ms per callback. `guillotine sim` should set it so an endless loop cannot freeze it.
   */
  callbackTimeoutMs?: number;
  /** Wall-clock limit for one REPL statement (answered "Execution Interrupted", as Ctrl-C would) or boot script. Default 10 s. */
  evalTimeoutMs?: number;
  /**
   * Charge virtual CPU time for the work the firmware does (simulator/interpreter/cpu.ts): while a
   * callback runs, time passes, timers wait and received bytes pile up. Default on; false gives
   * an infinitely fast board, for the few tests about the simulator's own mechanics that need
   * one (docs/simulator.md, "CPU time").
   */
  cpuModel?: boolean;
}

/** A REPL statement or boot script may run this long (wall clock) before it is interrupted. */
export const EVAL_TIMEOUT_MS_DEFAULT = 10_000;

type SerialListener = (device: string, data: string) => void;

export class SimulatedBoard implements InterpreterHost, FaultTarget {
  readonly profile: BoardProfile;
  readonly clock: Clock;
  readonly flash: Flash;
  readonly seed: number;
  readonly rng: Rng;
  readonly mcu: Mcu;
  readonly world: World;
  readonly callbackTimeoutMs: number | undefined;
  readonly evalTimeoutMs: number;
  readonly cpuModel: boolean;
  private interpreter: Interpreter | undefined;
  private replHandler: ConsoleLineDiscipline | undefined;
  private worldListeners: WorldEventListener[] = [];
  private serialListeners: SerialListener[] = [];
  private bootCount = 0;
  private resets: { atMs: number; cause: ResetCause }[] = [];
  private unimplementedCalls: string[] = [];
  private uncaughtErrors = 0;
  private pressureBlocks = 0;
  /** Bumped by every start, so a deferred start overtaken by a power cycle or reset is dropped. */
  private generation = 0;

  constructor(options: SimulatedBoardOptions) {
    this.profile = options.profile;
    this.clock = options.clock;
    this.flash = options.flash;
    this.seed = options.seed;
    this.callbackTimeoutMs = options.callbackTimeoutMs;
    this.evalTimeoutMs = options.evalTimeoutMs ?? EVAL_TIMEOUT_MS_DEFAULT;
    this.cpuModel = options.cpuModel ?? true;
    this.rng = new Rng(options.seed);
    this.mcu = new Mcu({
      profile: this.profile,
      clock: this.clock,
      rng: this.rng.derive("mcu"),
      baud: options.baud,
      output: (device, data) => this.output(device, data),
      idleLoopRunning: () => this.interpreter?.running ?? false,
      // The watchdog may bite while a callback runs (its timer is hardware): the new interpreter starts once that call has unwound.
      watchdogBite: () => {
        this.stopInterpreter();
        this.mcu.powerOn();
        this.deferStart("watchdog", { autoLoad: true, isReset: false });
      },
    });
    this.world = new World({
      profile: this.profile,
      pins: this.mcu.pins,
      clock: this.clock,
      rng: this.rng.derive("world"),
      timing: { ...RELAY_TIMING_DEFAULT, ...options.relayTiming },
      emit: (event) => this.emit(event),
    });
  }

  get powered(): boolean {
    return this.mcu.powered;
  }

  /** Applies power: every pin an undriven input, then boot from flash (saved code, boot code, init handlers). No-op when on. */
  powerOn(): void {
    if (this.powered) return;
    this.mcu.powerOn();
    this.emit({ type: "power", atMs: this.clock.nowMs(), on: true });
    this.startInterpreter("power-on", { autoLoad: true, isReset: false });
  }

  /** Removes power at once: interpreter gone, pins undriven (coils drop out), lines dead. No-op when off. */
  powerOff(): void {
    if (!this.powered) return;
    this.stopInterpreter();
    this.mcu.powerOff();
    this.emit({ type: "power", atMs: this.clock.nowMs(), on: false });
  }

  /** Pulses the reset pin: a hardware reset (watchdog stopped, pins undriven), then boot from flash. No-op when off. */
  reset(): void {
    if (this.powered) this.hardwareReset("reset-pin");
  }

  /**
   * Stores `code` as boot code, as `make flash` leaves it (reset(true) erases the saved code,
   * the espruino tool's SAVE_ON_SEND=1 writes the UTF-8 text to .bootcde); it runs from flash
   * at the next boot. Other Storage files stay. It skips the upload itself, so not its memory
   * peak: tools/build/memory-budget.ts estimates that (1 KB Storage writes).
   */
  flashBundle(code: string): void {
    for (const file of [SAVED_CODE_FILE, BOOT_CODE_FILE, BOOT_CODE_RESET_FILE]) this.flash.erase(file);
    this.flash.compact();
    this.flash.write(BOOT_CODE_FILE, new Uint8Array(Buffer.from(code, "utf8")));
  }

  /** Bytes sent by the peer of `device`; they arrive paced at the line's baud. Dropped while off or unplugged. */
  serialInput(device: string, data: string | Uint8Array): void {
    const uart = this.mcu.uart(device);
    if (uart === undefined) throw new Error(`no device ${device} on this board (have ${this.mcu.deviceNames().join(", ")})`);
    if (!this.powered) return;
    uart.rxLine.send(typeof data === "string" ? bytesToBinaryString(binaryStringToBytes(data)) : bytesToBinaryString(data));
  }

  /** Bytes leaving any device, as they finish crossing the line. Returns an unsubscribe function. */
  onSerialOutput(listener: SerialListener): () => void {
    this.serialListeners.push(listener);
    return () => (this.serialListeners = this.serialListeners.filter((other) => other !== listener));
  }

  /** serialInput() on the programming port (profile.console), where the TCP console is plugged. */
  consoleInput(data: string | Uint8Array): void {
    this.serialInput(this.profile.console, data);
  }

  /** Bytes leaving the programming port (profile.console). Returns an unsubscribe function. */
  onConsoleOutput(listener: (data: string) => void): () => void {
    return this.onSerialOutput((device, data) => {
      if (device === this.profile.console) listener(data);
    });
  }

  /** Where the REPL is now (E.setConsole moves it), whether it is locked, whether it echoes. */
  get console(): ConsoleState {
    const state = this.interpreter?.kernel.state;
    return { device: this.mcu.console.device, locked: state?.locked ?? false, echo: state?.echo ?? true };
  }

  /** Name of the device the console is on now, or undefined after E.setConsole(null). */
  get consoleDevice(): string | undefined {
    return this.mcu.console.device;
  }

  /** Connects the REPL line discipline (or disconnects it with undefined). */
  attachRepl(repl: ConsoleLineDiscipline | undefined): void {
    this.replHandler = repl;
  }

  /** REPL text (prompt, echo, `=value`) out of the current console device, as is. Dropped while off. */
  consoleWrite(text: string): void {
    const device = this.mcu.console.device;
    if (!this.powered || device === undefined) return;
    this.mcu.uart(device)?.write(text);
  }

  /** Checks a console password (E.setPassword); unlocks the console when it matches. */
  unlockConsole(password: string): boolean {
    const state = this.interpreter?.kernel.state;
    if (state === undefined || state.password === undefined || state.password !== password) return false;
    state.locked = false;
    return true;
  }

  /** Whether the interpreter is running (powered and not hung): only then may evaluate() be called. */
  get running(): boolean {
    return this.interpreter?.running ?? false;
  }

  /**
   * Runs one REPL statement in the interpreter's global scope and records it for save().
   * Errors are returned, not printed: the REPL prints `text`. Throws when not running.
   */
  evaluate(code: string): EvalResult {
    if (this.interpreter === undefined) throw new Error("the board is off");
    return this.interpreter.evaluate(code);
  }

  /** Sets input `input` active (e-stop hit, switch on) or inactive, through the profile's wiring. */
  press(input: InputName, active: boolean): void {
    this.world.press(input, active);
  }

  /** Injects a fault (see faults.ts). */
  inject(fault: Fault): void {
    this.emit({ type: "fault", atMs: this.clock.nowMs(), fault });
    injectFault(this, fault);
  }

  /** Everything observable about the board and its world, now. */
  snapshot(): BoardSnapshot {
    return snapshotBoard({
      atMs: this.clock.nowMs(),
      profile: this.profile,
      mcu: this.mcu,
      world: this.world,
      flash: this.flash,
      interpreter: this.interpreter,
      bootCount: this.bootCount,
      resets: this.resets,
      unimplementedCalls: this.unimplementedCalls,
      uncaughtErrors: this.uncaughtErrors,
      memory: () => (this.interpreter === undefined ? { total: this.profile.variables, usage: 0, free: this.profile.variables } : this.memory()),
      console: this.console,
    });
  }

  /** World events (coil, contact, path, input, power, boot, fault, uncaught...). Returns an unsubscribe function. */
  onWorldEvent(listener: WorldEventListener): () => void {
    this.worldListeners.push(listener);
    return () => (this.worldListeners = this.worldListeners.filter((other) => other !== listener));
  }

  // InterpreterHost and FaultTarget: used by the runtime and faults.ts, not by tests.

  emit(event: WorldEvent): void {
    if (event.type === "uncaught") this.uncaughtErrors++;
    for (const listener of this.worldListeners) listener(event);
  }

  recordUnimplemented(api: string): void {
    this.unimplementedCalls.push(api);
    this.emit({ type: "unimplemented", atMs: this.clock.nowMs(), api });
  }

  repl(): ConsoleLineDiscipline | undefined {
    return this.replHandler;
  }

  memoryPressureBlocks(): number {
    return this.pressureBlocks;
  }

  /** reset()/load(): the interpreter is replaced; hardware (watchdog, console, lines) stays. */
  softRestart(kind: "reset" | "load"): void {
    this.stopInterpreter();
    this.mcu.pins.resetAll();
    for (const uart of this.mcu.uarts.values()) uart.unsetup();
    this.deferStart(kind === "reset" ? "interpreter-reset" : "load", { autoLoad: kind === "load", isReset: kind === "reset" });
  }

  /** E.reboot(): the chip resets now; the new interpreter starts once the old call has unwound. */
  reboot(): void {
    this.stopInterpreter();
    this.mcu.powerOn();
    this.deferStart("software", { autoLoad: true, isReset: false });
  }

  hangInterpreter(): void {
    this.interpreter?.kernel.hang();
  }

  raiseErrorFlag(flag: ErrorFlag): void {
    this.interpreter?.kernel.raiseFlag(flag);
  }

  setMemoryPressure(blocks: number): void {
    assert(Number.isInteger(blocks) && blocks >= 0, `memory pressure must be a whole number of blocks, got ${blocks}`);
    this.pressureBlocks = blocks;
    if (this.interpreter?.running) this.memory();
  }

  private memory(): { total: number; usage: number; free: number } {
    return memoryReport(this.interpreter!.kernel, this.interpreter!.usageBlocks());
  }

  private hardwareReset(cause: ResetCause): void {
    this.stopInterpreter();
    this.mcu.powerOn();
    this.startInterpreter(cause, { autoLoad: true, isReset: false });
  }

  /** Starts the next interpreter at this instant but outside the current call stack, so a boot loop cannot recurse. */
  private deferStart(cause: ResetCause, mode: BootMode): void {
    const generation = ++this.generation;
    this.clock.setTimer(this.clock.nowMs(), () => {
      if (generation === this.generation && this.powered && this.interpreter === undefined) this.startInterpreter(cause, mode);
    });
  }

  private startInterpreter(cause: ResetCause, mode: BootMode): void {
    this.generation++;
    const atMs = this.clock.nowMs();
    if (cause !== "interpreter-reset" && cause !== "load") this.bootCount++;
    this.resets.push({ atMs, cause });
    this.emit({ type: "boot", atMs, cause, bootCount: this.bootCount });
    this.interpreter = new Interpreter(this);
    this.interpreter.boot(mode);
  }

  private stopInterpreter(): void {
    this.interpreter?.kill();
    this.interpreter = undefined;
  }

  private output(device: string, data: string): void {
    for (const listener of this.serialListeners) listener(device, data);
  }
}
