/**
 * process.memory(), process.env and process.version. process.env.CONSOLE names the current
 * console device; MODULES lists only the built-in modules the simulator provides, so the
 * espruino tool never expects another one on the board.
 */
import { LOW_MEMORY_FREE_BLOCKS } from "../interpreter/memory.ts";
import type { Kernel } from "../interpreter/kernel.ts";

export const ESPRUINO_VERSION = "2v29";
export const BUILT_IN_MODULES = ["crypto", "Storage"];

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** Reports usage to process.memory() and raises LOW_MEMORY / MEMORY as Espruino would. */
export function memoryReport(kernel: Kernel, usageBlocks: number): { free: number; usage: number; total: number } {
  const total = kernel.profile.variables;
  const usage = Math.min(total, usageBlocks);
  const free = total - usage;
  if (free < LOW_MEMORY_FREE_BLOCKS && !kernel.state.errorFlags.has("LOW_MEMORY")) kernel.raiseFlag("LOW_MEMORY");
  if (free <= 0 && !kernel.state.errorFlags.has("MEMORY")) kernel.raiseFlag("MEMORY");
  return { free, usage, total };
}

export function installProcess(kernel: Kernel, blockBytes: number, usageBlocks: () => number): void {
  const { realm, profile, mcu } = kernel;
  const process = new realm.Object();
  define(process, "version", ESPRUINO_VERSION);
  define(process, "memory", () => {
    kernel.checkAlive();
    const report = memoryReport(kernel, usageBlocks());
    return Object.assign(new realm.Object(), report, { history: 0, gc: 0, gctime: 0, blocksize: blockBytes });
  });
  Object.defineProperty(process, "env", {
    enumerable: false,
    get: () =>
      Object.assign(new realm.Object(), {
        VERSION: ESPRUINO_VERSION,
        BOARD: profile.espruinoBoard,
        RAM: profile.variables * blockBytes,
        STORAGE: kernel.host.flash.capacityBytes,
        CONSOLE: mcu.console.device ?? "null",
        MODULES: BUILT_IN_MODULES.join(","),
        SIMULATED: true,
      }),
  });
  define(realm.global, "process", process);
}
