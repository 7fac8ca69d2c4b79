/**
 * The one way tests wait on real time: poll a condition every 10 ms until it holds, or fail
 * naming what never happened. Tests that can run on virtual time advance the clock instead.
 */
const POLL_MS = 10;

/** Resolves once `check` holds; throws after `timeoutMs` with `what` (a function is read at failure time). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
