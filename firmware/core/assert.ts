/**
 * Invariant checks that stay on in production. A failed assertion throws; the board layer
 * catches it only to cut every output and raise the level (cause "exception"), never to go on
 * as if nothing happened.
 */
export function assert(condition: boolean, what: string): void {
  if (!condition) throw new Error("assert: " + what);
}
