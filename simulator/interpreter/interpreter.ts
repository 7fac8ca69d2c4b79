/**
 * One run of the Espruino-like interpreter, from a (soft or hard) reset to the next: a fresh
 * vm context with Espruino's globals, booted the way Espruino boots (jsiSemiInit/jsiSoftInit):
 * saved code restored, boot code run, E.on("init") handlers, then onInit().
 *
 * save() cannot snapshot a V8 heap. It stores instead the code run at the REPL since the last
 * reset() (the "journal"), and restoring re-runs it silently in a fresh context. For code
 * uploaded the Espruino way (definitions at top level, start from E.on("init")) the result is
 * the same; state changed by callbacks after the upload is not captured, where the real
 * save() would capture it.
 */
import { StorageError } from "../flash.ts";
import { BOOT_CODE_FILE, BOOT_CODE_RESET_FILE, SAVED_CODE_FILE } from "../../protocol/storage-names.ts";
import { installConsole } from "../espruino-api/console-api.ts";
import { installE } from "../espruino-api/e-api.ts";
import { installEvents } from "../espruino-api/events-api.ts";
import { formatUncaught } from "./format.ts";
import { installGpio } from "../espruino-api/gpio-api.ts";
import type { InterpreterHost } from "./host.ts";
import { Kernel, type Todo } from "./kernel.ts";
import { installLifecycle } from "../espruino-api/lifecycle-api.ts";
import { ProgramMemory } from "./memory.ts";
import { ESPRUINO_VERSION, installProcess } from "../espruino-api/process-api.ts";
import { installSerialDevices } from "../espruino-api/serial-api.ts";
import { installTimers, type Timers } from "../espruino-api/timers-api.ts";
import { createRealm, makeDeterministic } from "./vm-context.ts";
import { installWatches, type Watches } from "../espruino-api/watches-api.ts";

/** A statement's outcome. `reported`: the interpreter already printed the error (running out of memory). */
export type EvalResult = { ok: true; value: unknown } | { ok: false; error: unknown; text: string; reported?: boolean };

/** What the board prints when a statement runs out of memory part-way: the REPL then finds its text cut short. */
export const OUT_OF_MEMORY_TEXT = "OUT OF MEMORY";
export const OUT_OF_MEMORY_SYNTAX_ERROR = "Uncaught SyntaxError: Got EOF expected '}'";

export interface BootMode {
  /** Restore saved code (power-on, load()); false after reset(). */
  autoLoad: boolean;
  /** After reset(): only boot code stored with E.setBootCode(code, true) runs. */
  isReset: boolean;
}

export class Interpreter {
  readonly kernel: Kernel;
  private readonly E: object;
  private readonly timers: Timers;
  private readonly watches: Watches;
  private readonly builtInValues: Set<unknown>;
  private readonly builtInNames: Set<string>;
  readonly memory: ProgramMemory;

  constructor(private readonly host: InterpreterHost) {
    const realm = createRealm({ countTokens: host.cpuModel });
    const kernel = (this.kernel = new Kernel(realm, host));
    this.memory = new ProgramMemory(host.profile.variables);
    const random = host.mcu.mathRandom;
    makeDeterministic(realm, () => kernel.nowSeconds() * 1000, () => random.nextFloat());
    installEvents(kernel);
    this.E = installE(kernel);
    const gpio = installGpio(kernel);
    installSerialDevices(kernel, gpio);
    installConsole(kernel, this.E);
    this.timers = installTimers(kernel, () => this.memoryExhausted());
    this.watches = installWatches(kernel, gpio);
    installProcess(kernel, this.memory.layout.blockBytes, () => this.usageBlocks());
    installLifecycle(kernel, this.E);
    kernel.todoHandler = (todo) => this.runTodo(todo);
    this.builtInNames = new Set(Object.getOwnPropertyNames(realm.global));
    this.builtInValues = builtInValues(realm.global, this.builtInNames);
    kernel.firstUse.watch(realm.global);
  }

  get running(): boolean {
    return this.kernel.alive && !this.kernel.hung;
  }

  /** jsiSemiInit: saved code, password lock, boot code, init handlers, banner. */
  boot(mode: BootMode): void {
    const { state } = this.kernel;
    const loaded = mode.autoLoad && this.restoreSavedCode();
    if (state.password !== undefined) state.locked = true;
    this.runBootCode(mode.isReset);
    this.runInitHandlers();
    if (!this.kernel.alive) return;
    if (!loaded && state.echo) this.kernel.print(`\nEspruino ${ESPRUINO_VERSION} (simulated ${this.host.profile.espruinoBoard})\n`);
    this.host.repl()?.interpreterRestarted();
  }

  /**
   * Runs one REPL statement in the global scope and records it for save(). A statement whose
   * peak (its text, parsed copy and definitions) does not fit in the free blocks is not run:
   * the board prints what the real one prints and the statement is gone.
   */
  evaluate(code: string): EvalResult {
    const { kernel } = this;
    if (!this.running) throw new Error("the interpreter is not running (board off or hung)");
    kernel.evaluating++;
    try {
      const peak = this.memory.preview(code).peakBlocks;
      if (this.usageBlocks() + peak > this.host.profile.variables) return this.outOfMemory();
      let result: EvalResult;
      try {
        result = { ok: true, value: kernel.realm.run(code, "REPL", this.host.evalTimeoutMs) };
      } catch (thrown) {
        const interrupted = (thrown as { code?: unknown })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
        const text = interrupted ? "Execution Interrupted" : formatUncaught(thrown, { pinName: (value) => kernel.pinName(value) });
        if (kernel.alive) this.host.emit({ type: "uncaught", atMs: this.host.clock.nowMs(), text });
        result = { ok: false, error: thrown, text };
      }
      kernel.state.journal.push(code);
      this.memory.ranStatement(code);
      kernel.afterWork();
      return result;
    } finally {
      kernel.evaluating--;
    }
  }

  /** The statement ran out of memory part-way: its text was cut short, so it fails to parse, and the memory flags go up. */
  private outOfMemory(): EvalResult {
    const { kernel } = this;
    kernel.print(`${OUT_OF_MEMORY_TEXT}\n${OUT_OF_MEMORY_SYNTAX_ERROR}\n`);
    this.host.emit({ type: "uncaught", atMs: this.host.clock.nowMs(), text: OUT_OF_MEMORY_SYNTAX_ERROR });
    kernel.raiseFlag("LOW_MEMORY");
    kernel.raiseFlag("MEMORY");
    kernel.afterWork();
    return { ok: false, error: kernel.error("Got EOF expected '}'"), text: OUT_OF_MEMORY_SYNTAX_ERROR, reported: true };
  }

  /** Stops everything this interpreter scheduled; its APIs throw from now on. */
  kill(): void {
    this.kernel.kill();
    this.memory.dispose();
    this.timers.dispose();
    this.watches.dispose();
  }

  /** Variable blocks in use (see memory.ts). */
  usageBlocks(): number {
    const { realm, listeners } = this.kernel;
    const globals: [string, unknown][] = [];
    for (const name of Object.getOwnPropertyNames(realm.global)) {
      const value = Object.getOwnPropertyDescriptor(realm.global, name)?.value;
      if (!this.builtInNames.has(name) || (value !== undefined && !this.builtInValues.has(value))) globals.push([name, value]);
    }
    const roots = { globals, listeners: listeners.all(), timers: this.timers.values(), watches: this.watches.values() };
    const plainPrototypes = new Set<unknown>([realm.Object.prototype, realm.Array.prototype, null]);
    return this.memory.usageBlocks(roots, { builtIns: this.builtInValues, plainPrototypes }, this.kernel.firstUse.blocks + this.host.memoryPressureBlocks());
  }

  private memoryExhausted(): boolean {
    return this.host.memoryPressureBlocks() > 0 && this.usageBlocks() >= this.host.profile.variables;
  }

  /** Re-runs the saved journal silently. Returns whether saved code was found and read. */
  private restoreSavedCode(): boolean {
    const { kernel } = this;
    const image = this.host.flash.read(SAVED_CODE_FILE);
    if (image === undefined) return false;
    let journal: unknown;
    try {
      journal = JSON.parse(Buffer.from(image).toString("utf8"));
    } catch {
      kernel.print("Saved code is corrupt: not loaded\n");
      return false;
    }
    kernel.state.restoring = true;
    for (const code of journal as string[]) {
      try {
        kernel.realm.run(code, "saved code", this.host.evalTimeoutMs);
      } catch {
        // The real board restores a heap, not statements: an error here has no equivalent.
      }
      this.memory.ranStatement(code);
    }
    kernel.state.restoring = false;
    kernel.state.journal = [...(journal as string[])];
    return true;
  }

  private runBootCode(isReset: boolean): void {
    if (!this.kernel.alive) return;
    const { flash } = this.host;
    const image = flash.read(BOOT_CODE_RESET_FILE) ?? (isReset ? undefined : flash.read(BOOT_CODE_FILE));
    if (image === undefined) return;
    const code = Buffer.from(image).toString("latin1");
    this.memory.ranBootCode(code);
    try {
      this.kernel.realm.run(code, "boot code", this.host.evalTimeoutMs);
    } catch (thrown) {
      this.kernel.reportThrown(thrown);
    }
  }

  private runInitHandlers(): void {
    const { kernel } = this;
    kernel.callListeners(this.E, "init", []);
    const onInit = kernel.realm.global.onInit;
    if (typeof onInit !== "function" || !kernel.alive) return;
    if (kernel.state.echo) kernel.print("Running onInit()...\n");
    kernel.call(onInit, undefined, []);
  }

  private runTodo(todo: Todo): void {
    const { kernel } = this;
    kernel.callListeners(this.E, "kill", []);
    if (todo !== "save") return this.host.softRestart(todo);
    try {
      this.writeSavedCode();
    } catch (thrown) {
      if (!(thrown instanceof StorageError)) return kernel.reportThrown(thrown);
      kernel.print(`ERROR: Too big to save to flash (${thrown.message})\n`);
    }
    if (kernel.alive) this.runInitHandlers();
  }

  private writeSavedCode(): void {
    const { flash, profile } = this.host;
    const image = Buffer.from(JSON.stringify(this.kernel.state.journal), "utf8");
    this.kernel.print("Compacting Flash...\nCalculating Size...\nWriting..\n");
    flash.erase(SAVED_CODE_FILE);
    flash.compact();
    flash.write(SAVED_CODE_FILE, new Uint8Array(image));
    this.kernel.print(`\nCompressed ${profile.variables * this.memory.layout.blockBytes} bytes to ${image.length}\n`);
  }
}

/**
 * The global's own values, and the functions each of them holds (`E.kickWatchdog`,
 * `Serial1.write`): the interpreter's own, which a program may hold in a variable or property
 * without their code or scopes being its data.
 */
function builtInValues(global: object, names: Set<string>): Set<unknown> {
  const values = new Set<unknown>();
  for (const name of names) {
    const value = Object.getOwnPropertyDescriptor(global, name)?.value;
    values.add(value);
    if ((typeof value !== "object" && typeof value !== "function") || value === null) continue;
    for (const member of Object.getOwnPropertyNames(value)) {
      const held = Object.getOwnPropertyDescriptor(value, member)?.value;
      if (typeof held === "function") values.add(held);
    }
  }
  return values;
}
