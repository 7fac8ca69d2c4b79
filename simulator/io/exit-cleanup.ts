/**
 * Last-resort cleanup of child processes (socat) and files (sockets, links) when this process
 * ends without closing them: normal exit, an uncaught error, or SIGINT/SIGTERM/SIGHUP nobody
 * else handles. Orderly shutdown (closing serial handles first) is the owner's job; this only
 * makes sure no socat outlives us.
 *
 * Cleanups must be synchronous: on 'exit' Node runs no more asynchronous work.
 */

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

const cleanups = new Set<() => void>();
let installed = false;

/** Runs `cleanup` if the process ends before the returned function is called. */
export function cleanupOnExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort at exit: one failed cleanup must not stop the others.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const signal of SIGNALS) {
    process.on(signal, function onSignal() {
      // Someone else handles this signal (guillotine sim shuts down in order): leave it to them.
      if (process.listenerCount(signal) > 1) return;
      runAll();
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    });
  }
}
