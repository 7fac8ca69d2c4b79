/**
 * Splits a byte stream into protocol lines with a hard cap (docs/protocol.md section 2).
 * Memory is bounded by FRAME_BYTES_MAX whatever the peer sends: an over-long line is dropped
 * as it arrives and only its end (the next LF) is waited for.
 */
import { FRAME_BYTES_MAX } from "./constants.ts";

export const LINE_OK = 0;
export const LINE_TOOLONG = 1;
export const LINE_CHARSET = 2;

/** Receives each complete line of link `link`; `status` is one of the LINE_ codes. */
export interface LineSink {
  onLine(link: number, text: string, status: number): void;
}

/** True when every character of `text` is printable ASCII (0x20-0x7E). */
export function isPrintable(text: string): boolean {
  return /^[ -~]*$/.test(text);
}

export class LineReader {
  /** Bytes of the current line so far, without its LF; never longer than FRAME_BYTES_MAX. */
  pending = "";
  /** Set once the current line passed the cap; cleared by the next LF. */
  overflow = false;
  link: number;

  constructor(link: number) {
    this.link = link;
  }

  /** Feeds one chunk; calls `sink.onLine` for each line it completes, in order. */
  feed(chunk: string, sink: LineSink): void {
    let start = 0;
    while (start <= chunk.length) {
      const end = chunk.indexOf("\n", start);
      const piece = end < 0 ? chunk.substring(start) : chunk.substring(start, end);
      if (!this.overflow) {
        // The LF counts toward the cap, so a pending line may hold FRAME_BYTES_MAX - 1 bytes.
        if (this.pending.length + piece.length > FRAME_BYTES_MAX - 1) {
          this.overflow = true;
          this.pending = "";
        } else {
          this.pending += piece;
        }
      }
      if (end < 0) return;
      start = end + 1;
      // An LF ends the current line (one method, not two: each costs blocks on the board).
      if (this.overflow) {
        this.overflow = false;
        sink.onLine(this.link, "", LINE_TOOLONG);
        continue;
      }
      let text = this.pending;
      this.pending = "";
      if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.substring(0, text.length - 1);
      if (text.length > 0) sink.onLine(this.link, text, isPrintable(text) ? LINE_OK : LINE_CHARSET);
    }
  }
}
