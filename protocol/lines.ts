/**
 * Splits a byte stream into protocol lines with a hard cap (docs/protocol.md section 2).
 * Memory is bounded by FRAME_BYTES_MAX whatever the peer sends: an over-long line is dropped
 * as it arrives and only its end (the next LF) is waited for.
 */
import { FRAME_BYTES_MAX } from "./constants.ts";

export const LINE_OK = 0;
export const LINE_TOOLONG = 1;

/**
 * Receives each complete line of link `link`; `status` is one of the LINE_ codes. The reader
 * only splits: what a line may hold (isPrintable) is the receiver's check, so a heartbeat,
 * whose own match proves it printable, is not scanned twice on the board.
 */
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

  /**
   * Feeds one chunk; calls `sink.onLine` for each line it completes, in order. A chunk that
   * is one whole line (the usual heartbeat) costs one search and one slice.
   */
  feed(chunk: string, sink: LineSink): void {
    let start = 0;
    let end = chunk.indexOf("\n");
    while (end >= 0) {
      let text = this.pending + chunk.substring(start, end);
      this.pending = "";
      start = end + 1;
      // The LF counts toward the cap, so a line may hold FRAME_BYTES_MAX - 1 bytes.
      if (this.overflow || text.length > FRAME_BYTES_MAX - 1) {
        this.overflow = false;
        sink.onLine(this.link, "", LINE_TOOLONG);
      } else {
        if (text.charCodeAt(text.length - 1) === 0x0d) text = text.substring(0, text.length - 1);
        if (text !== "") sink.onLine(this.link, text, LINE_OK);
      }
      end = start < chunk.length ? chunk.indexOf("\n", start) : -1;
    }
    if (start < chunk.length && !this.overflow) this.keep(chunk.substring(start));
  }

  /** The start of a line still arriving: kept while it fits; past the cap it is dropped and only its end (the next LF) awaited. */
  keep(piece: string): void {
    if (this.pending.length + piece.length > FRAME_BYTES_MAX - 1) {
      this.overflow = true;
      this.pending = "";
    } else {
      this.pending += piece;
    }
  }
}
