/**
 * When the firmware wrote each byte it sends, for the simulated board: a line can sit for
 * seconds behind other replies on a 115200-baud link, so when it arrives says little about
 * when the controller decided it. The target notes each write (time, byte count) and, as the
 * bytes come out of the line in the same order, gives back the write time of any byte.
 */
export class WriteTimes {
  private readonly writes: { atMs: number; bytes: number }[] = [];

  /** The firmware wrote `bytes` bytes at `atMs`. */
  wrote(atMs: number, bytes: number): void {
    if (bytes > 0) this.writes.push({ atMs, bytes });
  }

  /** `count` bytes came out of the line; returns when the last of them was written (undefined if unknown). */
  consume(count: number): number | undefined {
    let atMs: number | undefined;
    for (let left = count; left > 0 && this.writes.length > 0; ) {
      const head = this.writes[0];
      const taken = Math.min(left, head.bytes);
      atMs = head.atMs;
      head.bytes -= taken;
      left -= taken;
      if (head.bytes === 0) this.writes.shift();
    }
    return atMs;
  }

  /** The line was cleared (power loss, hardware reset): bytes in flight are gone. */
  clear(): void {
    this.writes.length = 0;
  }
}
