/**
 * Espruino's event methods on Object.prototype: on, addListener, prependListener, emit,
 * removeListener, removeAllListeners. emit() queues the event; listeners run from the idle
 * loop, as on the board, not inside the emit() call.
 */
import type { Kernel } from "../interpreter/kernel.ts";
import type { Listener } from "../interpreter/listeners.ts";

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function installEvents(kernel: Kernel): void {
  const { listeners } = kernel;
  const add = (prepend: boolean) =>
    function (this: object, event: unknown, listener: unknown): void {
      kernel.checkAlive();
      if (typeof listener !== "function") throw kernel.error("Expecting a function");
      listeners.add(this, String(event), listener as Listener, prepend);
    };
  const methods: Record<string, (this: object, ...args: unknown[]) => unknown> = {
    on: add(false),
    addListener: add(false),
    prependListener: add(true),
    emit(event, ...args) {
      kernel.checkAlive();
      const target = this;
      kernel.enqueue(() => kernel.callListeners(target, String(event), args));
    },
    removeListener(event, listener) {
      kernel.checkAlive();
      listeners.remove(this, String(event), listener as Listener);
    },
    removeAllListeners(event) {
      kernel.checkAlive();
      listeners.removeAll(this, event === undefined ? undefined : String(event));
    },
  };
  for (const [name, fn] of Object.entries(methods)) define(kernel.realm.Object.prototype, name, fn);
}
