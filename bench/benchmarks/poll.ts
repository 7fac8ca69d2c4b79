/** Waiting on the real-time rig: the benchmarks poll the simulated world between Node ticks. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `predicate` holds; throws naming `what` (and `detail()`) after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string, detail: () => string = () => "", pollMs = 5): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${detail() === "" ? "" : `; ${detail()}`}`);
    await sleep(pollMs);
  }
}
