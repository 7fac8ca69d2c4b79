import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.ts";

function collect(lineCharsMax?: number) {
  const lines: string[] = [];
  let tooLong = 0;
  const splitter = new LineSplitter((line) => lines.push(line), lineCharsMax, () => tooLong++);
  return { splitter, lines, tooLong: () => tooLong };
}

describe("the host side's line splitter", () => {
  it("joins lines across chunks and drops the CR before an LF", () => {
    const { splitter, lines } = collect();
    splitter.feed("ACK 1 0\r\nLEV");
    splitter.feed("EL 2 deadline\n\n");
    expect(lines).toEqual(["ACK 1 0", "LEVEL 2 deadline", ""]);
  });

  it("drops an over-long line up to its LF, says so once, and reads the next one whole", () => {
    const { splitter, lines, tooLong } = collect(8);
    splitter.feed("0123456");
    splitter.feed("789abc");
    splitter.feed("def\nok\n");
    expect(lines).toEqual(["ok"]);
    expect(tooLong()).toBe(1);
  });

  it("gives a last line without LF at the end of the stream, and nothing after a reset", () => {
    const { splitter, lines } = collect();
    splitter.feed("half");
    splitter.reset();
    splitter.feed("last");
    splitter.end();
    expect(lines).toEqual(["last"]);
  });
});
