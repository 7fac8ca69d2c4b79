/**
 * A reader that stops early (`guillotine ops status | head -1`, a pager quit) closes the pipe;
 * the next write fails with EPIPE. That is the reader's choice, not our error: stop quietly
 * with the exit code so far, as command-line tools do, instead of a stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    });
  }
}
