/**
 * Espruino's event emitter: every object has on/addListener/prependListener/emit/
 * removeListener/removeAllListeners (Object.prototype). Listeners are kept here, host side,
 * rather than in hidden properties, so the runtime can find E's "init" handlers or a
 * device's "data" handlers directly. emit() does not call listeners at once: Espruino queues
 * the event and runs it from the idle loop, and so does the runtime (see globals.ts).
 */
import { strict as assert } from "node:assert";

export type Listener = (...args: unknown[]) => unknown;

/** A runaway `on` in a loop would otherwise grow without bound. */
export const LISTENERS_PER_EVENT_MAX = 64;

export class ListenerRegistry {
  private byTarget = new Map<object, Map<string, Listener[]>>();

  add(target: object, event: string, listener: Listener, prepend: boolean): void {
    let events = this.byTarget.get(target);
    if (events === undefined) this.byTarget.set(target, (events = new Map()));
    const list = events.get(event) ?? [];
    assert(list.length < LISTENERS_PER_EVENT_MAX, `more than ${LISTENERS_PER_EVENT_MAX} listeners for "${event}": a listener added in a loop?`);
    if (prepend) list.unshift(listener);
    else list.push(listener);
    events.set(event, list);
  }

  remove(target: object, event: string, listener: Listener): void {
    const list = this.byTarget.get(target)?.get(event);
    if (list === undefined) return;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  removeAll(target: object, event: string | undefined): void {
    if (event === undefined) this.byTarget.delete(target);
    else this.byTarget.get(target)?.delete(event);
  }

  /** A copy, so listeners added or removed while these run take effect next time. */
  get(target: object, event: string): Listener[] {
    return [...(this.byTarget.get(target)?.get(event) ?? [])];
  }

  has(target: object, event: string): boolean {
    return (this.byTarget.get(target)?.get(event)?.length ?? 0) > 0;
  }

  /** Every listener function, for the memory estimate. */
  all(): Listener[] {
    const result: Listener[] = [];
    for (const events of this.byTarget.values()) for (const list of events.values()) result.push(...list);
    return result;
  }
}
