import babel from "@babel/core";
import { describe, expect, it } from "vitest";
import { inlineConstants } from "./babel-inline-constants.ts";

function fold(code: string): string {
  const result = babel.transformSync(code, {
    babelrc: false, configFile: false, browserslistConfigFile: false, sourceType: "script",
    compact: true, comments: false, assumptions: {}, plugins: [inlineConstants],
  });
  return result?.code ?? "";
}

describe("inline-constants", () => {
  it("folds a number, a negative number, a boolean and a short string into every use and drops the declaration", () => {
    expect(fold('var STAGE_OPEN=0,OFF=-1,ON=true,ERR_SYNTAX="SYNTAX";f(STAGE_OPEN,OFF,ON,ERR_SYNTAX,ERR_SYNTAX);'))
      .toBe('f(0,-1,true,"SYNTAX","SYNTAX");');
  });

  it("keeps a constant that is assigned again", () => {
    expect(fold("var LIMIT=3;LIMIT=4;f(LIMIT);")).toBe("var LIMIT=3;LIMIT=4;f(LIMIT);");
  });

  it("keeps a long string used often, where folding would grow the bundle", () => {
    const code = `var GENESIS="${"0".repeat(32)}";f(GENESIS,GENESIS,GENESIS);`;
    expect(fold(code)).toBe(code);
  });

  it("leaves lower-case names, non-literal values and shadowing locals alone", () => {
    expect(fold("var limit=3;f(limit);")).toBe("var limit=3;f(limit);");
    expect(fold("var KINDS=[1,2];f(KINDS);")).toBe("var KINDS=[1,2];f(KINDS);");
    expect(fold("var MAX=8;function g(MAX){return MAX;}f(MAX,g(1));")).toBe("function g(MAX){return MAX;}f(8,g(1));");
  });
});
