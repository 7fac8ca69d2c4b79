import { describe, expect, it } from "vitest";
import { storedCodeChars } from "./memory.ts";
import { testBoard } from "./test-board.ts";

const CODE = "function f(a){if(a===1)return this.x;return a>=2&&a<=3;}";

describe("the code part of the memory estimate", () => {
  it("counts source text as it is without pretokenise", () => {
    expect(storedCodeChars(CODE, false)).toBe(CODE.length);
  });

  it("counts each reserved word and multi-character operator as one byte under pretokenise", () => {
    // function, if, ===, return, this, return, >=, &&, <=: 8+2+3+6+4+6+2+2+2 = 35 chars become 9.
    expect(storedCodeChars(CODE, true)).toBe(CODE.length - 35 + 9);
  });

  it("leaves identifiers that merely contain a reserved word alone", () => {
    expect(storedCodeChars("var format=returned+thisOne;", true)).toBe("var format=returned+thisOne;".length - 2);
  });

  it("shrinks process.memory().usage for functions defined after E.setFlags({pretokenise: 1})", () => {
    const body = "var x = 1; return x === 1 && this !== undefined;";
    const plain = testBoard();
    plain.run(`function a() { ${body} } function b() { ${body} } function c() { ${body} }`);
    const tokenised = testBoard();
    tokenised.run("E.setFlags({pretokenise: 1})");
    tokenised.run(`function a() { ${body} } function b() { ${body} } function c() { ${body} }`);
    expect(tokenised.run("process.memory().usage")).toBeLessThan(plain.run("process.memory().usage") as number);
    expect(tokenised.run("E.getFlags().pretokenise")).toBe(1);
  });
});
