/**
 * What the demo prints: one time-stamped line per event, and a compact status line. On a
 * terminal the status line stays at the bottom and is redrawn a few times a second (event lines
 * scroll above it); in a pipe or a log file it is printed as a plain line whenever it changes
 * in more than the heartbeat age, so the output stays readable and diffable.
 */

const REDRAW_MS = 200;

export interface TerminalOptions {
  /** Draw a live status line (stdout is a terminal). */
  live: boolean;
  /** Text of the status line now; with `key` the part whose change is worth a line in a pipe. */
  status: () => { text: string; key: string } | undefined;
}

export class Terminal {
  private readonly startedAtMs = performance.now();
  private redraw: NodeJS.Timeout | undefined;
  private shown = false;
  private lastKey = "";
  private lastPrintedAtMs = -Infinity;
  private readonly color: boolean;
  private muted = false;

  constructor(private readonly options: TerminalOptions) {
    this.color = options.live && process.env.NO_COLOR === undefined;
    if (options.live) {
      this.redraw = setInterval(() => this.drawStatus(), REDRAW_MS);
      this.redraw.unref();
    }
  }

  /** Seconds since the demo started, as printed in front of each line. */
  stamp(): string {
    return ((performance.now() - this.startedAtMs) / 1000).toFixed(3).padStart(7);
  }

  /** One event line. */
  event(text: string): void {
    this.write(`[${this.stamp()}] ${text}`);
    this.statusChanged();
  }

  /** Lines a tool printed, indented under the command that printed them. */
  output(prefix: string, text: string): void {
    for (const line of text.split("\n")) if (line.trim() !== "") this.write(`[${this.stamp()}]     ${this.dim(prefix)} ${line}`);
  }

  /** A step heading. */
  heading(text: string): void {
    this.write("");
    this.write(this.bold(text));
  }

  /** Plain text without a time stamp (explanations, the summary table). */
  say(text: string): void {
    this.write(text);
  }

  /** Prints the status line now (in a pipe: only when something besides the age changed, unless forced). */
  statusChanged(force = false): void {
    const status = this.options.status();
    if (status === undefined || this.muted) return;
    if (this.options.live) {
      this.drawStatus();
      return;
    }
    const recent = performance.now() - this.lastPrintedAtMs < 250;
    if (status.key === this.lastKey && (!force || recent)) return;
    this.lastKey = status.key;
    this.lastPrintedAtMs = performance.now();
    process.stdout.write(`[${this.stamp()}]   ${status.text}\n`);
  }

  ok(text: string): string {
    return this.color ? `\x1b[32m${text}\x1b[0m` : text;
  }

  bad(text: string): string {
    return this.color ? `\x1b[31;1m${text}\x1b[0m` : text;
  }

  bold(text: string): string {
    return this.color ? `\x1b[1m${text}\x1b[0m` : text;
  }

  dim(text: string): string {
    return this.color ? `\x1b[2m${text}\x1b[0m` : text;
  }

  /** Drops every later line (after Ctrl-C, what fails while stopping is noise). */
  mute(): void {
    this.close();
    this.muted = true;
  }

  /** Stops redrawing and leaves the cursor on a fresh line. */
  close(): void {
    if (this.redraw !== undefined) clearInterval(this.redraw);
    this.redraw = undefined;
    this.clearStatus();
  }

  private write(line: string): void {
    if (this.muted) return;
    this.clearStatus();
    process.stdout.write(line + "\n");
    if (this.options.live && this.redraw !== undefined) this.drawStatus();
  }

  private clearStatus(): void {
    if (!this.shown) return;
    process.stdout.write("\r\x1b[2K");
    this.shown = false;
  }

  private drawStatus(): void {
    const status = this.options.status();
    if (status === undefined) return;
    const width = process.stdout.columns ?? 120;
    const text = status.text.length > width - 1 ? status.text.slice(0, width - 2) + "…" : status.text;
    process.stdout.write("\r\x1b[2K" + this.dim(text));
    this.shown = true;
  }
}
