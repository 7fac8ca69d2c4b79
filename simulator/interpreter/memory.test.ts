import { describe, expect, it } from "vitest";
import { OUT_OF_MEMORY_SYNTAX_ERROR, OUT_OF_MEMORY_TEXT } from "./interpreter.ts";
import { testBoard } from "../testing/test-board.ts";

const usage = (board: ReturnType<typeof testBoard>) => board.run("process.memory().usage") as number;

describe("process.memory() on the simulated board", () => {
  it("reports the block size of the board's build (13 bytes for 5,100 variables)", () => {
    const board = testBoard();
    expect(board.run("process.memory().blocksize")).toBe(13);
    expect(board.run("process.memory().total")).toBe(5100);
  });

  it("counts a function's code at 13 characters a block plus its bookkeeping, as 2v29 does (fn_body_1000: 81 blocks)", () => {
    const board = testBoard();
    const before = usage(board);
    board.run(`function f(){var a=0;${"a+=1;".repeat(198)}}`);
    expect(usage(board) - before).toBe(81);
  });

  it("sees data held only in a closure, which no walk from the globals reaches", () => {
    const board = testBoard();
    const before = usage(board);
    board.run(`var g=(function(){var big=""; for (var i=0;i<100;i++) big+="0123456789"; return function(){return big.length;};})();`);
    // The 1,000-character string alone is 112 blocks as a chained string.
    expect(usage(board) - before).toBeGreaterThanOrEqual(112);
    expect(board.run("g()")).toBe(1000);
  });

  it("under pretokenise stores class methods tokenised but leaves function declarations as they were (measured on 2v29)", () => {
    const source = "class C{constructor(){this.x=1;this.y=2;this.z=3;}m0(){return this.x+0;}m1(){return this.x+1;}}";
    const fn = `function f(){var a=0;${"a+=1;".repeat(40)}}`;
    const plain = testBoard();
    const tokenised = testBoard();
    tokenised.run("E.setFlags({pretokenise: 1})");
    const before = { plain: usage(plain), tokenised: usage(tokenised) };
    plain.run(fn);
    tokenised.run(fn);
    expect(usage(tokenised) - before.tokenised).toBe(usage(plain) - before.plain);
    plain.run(source);
    tokenised.run(source);
    expect(usage(tokenised) - before.tokenised).toBeLessThan(usage(plain) - before.plain);
    expect(tokenised.run("E.getFlags().pretokenise")).toBe(1);
  });
});

describe("a REPL statement too big for the free blocks", () => {
  it("is not run: the board prints OUT OF MEMORY and the cut-short parse error, raises LOW_MEMORY and MEMORY, and save() leaves it out", () => {
    const board = testBoard({ boardId: "MDBT42Q" });
    board.run("var kept = 1");
    // One statement of ~12,000 characters: its text and parsed copy alone exceed 2,950 blocks.
    const functions = Array.from({ length: 300 }, (_, i) => `function a${i}(){var x=${i};x+=1;return x;}`).join("");
    const result = board.board.evaluate(`(function(){${functions} E.on("init",function(){ran=1;});})();`);
    expect(result).toMatchObject({ ok: false, text: OUT_OF_MEMORY_SYNTAX_ERROR, reported: true });
    board.clock.advance(100);
    const printed = board.sent(board.board.profile.console);
    expect(printed).toContain(`${OUT_OF_MEMORY_TEXT}\r\n${OUT_OF_MEMORY_SYNTAX_ERROR}\r\n`);
    expect(printed.indexOf(OUT_OF_MEMORY_SYNTAX_ERROR)).toBeLessThan(printed.indexOf("New interpreter error: LOW_MEMORY,MEMORY"));
    expect(board.run("typeof a0")).toBe("undefined");
    expect(board.run("E.getErrorFlags()")).toEqual(["LOW_MEMORY", "MEMORY"]);
    board.run("save()");
    board.board.powerOff();
    board.board.powerOn();
    board.clock.advance(10);
    expect(board.run("typeof ran + ',' + kept")).toBe("undefined,1");
  });

  it("runs when the board has the room: the same statement on 8,190 variables", () => {
    const board = testBoard({ boardId: "WIFI" });
    const functions = Array.from({ length: 300 }, (_, i) => `function a${i}(){var x=${i};x+=1;return x;}`).join("");
    expect(board.board.evaluate(`(function(){${functions} this.last = a299();})();`)).toEqual({ ok: true, value: undefined });
    expect(board.run("last")).toBe(300);
  });
});
