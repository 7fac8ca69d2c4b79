/**
 * The host side's line splitter: turns a text stream (a controller's link, a console, a
 * control socket) into lines, without their LF or a CR before it. Bounded: a line longer than
 * `lineCharsMax` is dropped up to its LF and reported once, so a peer that never sends LF
 * cannot grow the pending text. The controller's own reader is lines.ts.
 */
export const LINE_CHARS_MAX = 4096;

export class LineSplitter {
  private pending = "";
  private discarding = false;

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly lineCharsMax = LINE_CHARS_MAX,
    private readonly onTooLong: () => void = () => {},
  ) {}

  feed(data: string): void {
    let start = 0;
    for (;;) {
      const end = data.indexOf("\n", start);
      if (end < 0) break;
      const text = (this.pending + data.slice(start, end)).replace(/\r$/, "");
      this.pending = "";
      start = end + 1;
      if (this.discarding) this.discarding = false;
      else this.onLine(text);
    }
    if (this.discarding) return;
    this.pending += data.slice(start);
    if (this.pending.length > this.lineCharsMax) {
      this.pending = "";
      this.discarding = true;
      this.onTooLong();
    }
  }

  /** The stream ended: a last line without LF still counts. */
  end(): void {
    const text = this.pending.replace(/\r$/, "");
    this.pending = "";
    if (text !== "" && !this.discarding) this.onLine(text);
    this.discarding = false;
  }

  /** Power loss: a half-received line is gone. */
  reset(): void {
    this.pending = "";
    this.discarding = false;
  }
}
