import { describe, expect, it } from "vitest";
import { FRAME_BYTES_MAX } from "./constants.ts";
import { isPrintable, LINE_OK, LINE_TOOLONG, LineReader } from "./lines.ts";

/** Feeds `chunks` to a fresh reader and returns the lines it completed, with their status. */
function read(chunks: string[]): [string, number][] {
  const lines: [string, number][] = [];
  const reader = new LineReader(0);
  for (const chunk of chunks) reader.feed(chunk, { onLine: (link, text, status) => void lines.push([text, status]) });
  return lines;
}

describe("LineReader", () => {
  it("splits lines at LF whatever the chunking, dropping one CR before it and empty lines", () => {
    expect(read(["SY", "NC\nSTA", "TUS\r\n\n\nLOG 1\n"])).toEqual([["SYNC", LINE_OK], ["STATUS", LINE_OK], ["LOG 1", LINE_OK]]);
  });

  it("keeps a line without its LF pending", () => {
    expect(read(["SYNC"])).toEqual([]);
  });

  it("takes a line of FRAME_BYTES_MAX bytes with its LF and drops one byte longer whole, keeping what follows", () => {
    const longest = "x".repeat(FRAME_BYTES_MAX - 1);
    expect(read([longest + "\n"])).toEqual([[longest, LINE_OK]]);
    expect(read([longest + "x", "yyy", "zzz\nSYNC\n"])).toEqual([["", LINE_TOOLONG], ["SYNC", LINE_OK]]);
  });

  it("passes a line with a byte outside printable ASCII on as it is: the receiver checks what a line holds", () => {
    expect(read(["HB\t1\n", "HB\x001\n", "HB é\n"])).toEqual([["HB\t1", LINE_OK], ["HB\x001", LINE_OK], ["HB é", LINE_OK]]);
  });

  it("splits several lines in one chunk and keeps the rest of the last pending", () => {
    expect(read(["SYNC\nSTATUS\nLO", "G 1\r", "\n"])).toEqual([["SYNC", LINE_OK], ["STATUS", LINE_OK], ["LOG 1", LINE_OK]]);
  });

  it("drops an over-long line that arrives in pieces, also when its LF comes alone", () => {
    const half = "x".repeat(FRAME_BYTES_MAX / 2);
    expect(read([half, half, "\n", "SYNC\n"])).toEqual([["", LINE_TOOLONG], ["SYNC", LINE_OK]]);
  });
});

describe("isPrintable", () => {
  it("is true exactly for 0x20-0x7E", () => {
    expect(isPrintable(" ~AZaz09")).toBe(true);
    expect(isPrintable("")).toBe(true);
    for (const text of ["\x1f", "\x7f", "\x80", "\xff", "a\nb", "a\rb"]) expect(isPrintable(text)).toBe(false);
  });
});
