/**
 * Turns a byte stream from the controller into lines with the time their LF arrived. Bounded:
 * a peer that never sends LF cannot grow the pending text past LINE_CHARS_MAX.
 */
export const LINE_CHARS_MAX = 4096;

export class LineSplitter {
  private pending = "";

  constructor(private readonly onLine: (text: string) => void) {}

  feed(data: string): void {
    let start = 0;
    for (;;) {
      const end = data.indexOf("\n", start);
      if (end < 0) break;
      const text = (this.pending + data.slice(start, end)).replace(/\r$/, "");
      this.pending = "";
      this.onLine(text);
      start = end + 1;
    }
    this.pending = (this.pending + data.slice(start)).slice(-LINE_CHARS_MAX);
  }

  /** Power loss: a half-received line is gone. */
  reset(): void {
    this.pending = "";
  }
}
