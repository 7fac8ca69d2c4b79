import babel from "@babel/core";
import { describe, expect, it } from "vitest";
import { shortLocalNames } from "./babel-short-locals.ts";

function shorten(code: string): string {
  const result = babel.transformSync(code, {
    babelrc: false, configFile: false, browserslistConfigFile: false, sourceType: "script",
    compact: true, comments: false, assumptions: {}, plugins: [shortLocalNames],
  });
  return result?.code ?? "";
}

/** Runs `code` and returns what it leaves in `out`. */
function run(code: string): unknown {
  return new Function(`${code};return out;`)();
}

describe("short-local-names", () => {
  it("renames parameters and locals, never a top-level name, a class name or a property", () => {
    expect(shorten("function heartbeat(counter,macText){var expected=counter+1;return {counter:expected,macText};}"))
      .toBe("function heartbeat(a,b){var c=a+1;return{counter:c,macText:b};}");
    expect(shorten("class Controller{receive(lineText){return this.level+lineText;}}var level=1;"))
      .toBe("class Controller{receive(a){return this.level+a;}}var level=1;");
  });

  it("never takes a name the program spells anywhere, so no reference changes what it finds", () => {
    const code = "var a=1;function f(value){return a+value+E.x;}var E={x:2};var out=f(3);";
    const shortened = shorten(code);
    expect(shortened).toBe("var a=1;function f(b){return a+b+E.x;}var E={x:2};var out=f(3);");
    expect(run(shortened)).toBe(run(code));
  });

  it("keeps closures, nested functions and shadowing behaving as written", () => {
    const code = "function outer(count){var total=0;function add(count){total+=count;}for(var i=0;i<count;i++)add(i);return function(extra){return total+extra;};}var out=outer(4)(10);";
    const shortened = shorten(code);
    expect(shortened).not.toContain("count");
    expect(shortened).not.toContain("total");
    expect(run(shortened)).toBe(16);
  });

  it("leaves a function expression's and a class expression's own names alone", () => {
    expect(shorten("function f(){var g=function again(n){return n?again(n-1):0;};return g;}"))
      .toBe("function f(){var a=function again(b){return b?again(b-1):0;};return a;}");
  });

  it("skips keywords once single letters run out, into three letters", () => {
    const params = Array.from({ length: 26 * 36 + 26 }, (_, i) => `param${i}`).join(",");
    const shortened = shorten(`function f(${params}){}`);
    expect(shortened).toMatch(/[(,][a-z][a-z0-9]{2}[,)]/);
    expect(() => new Function(shortened)).not.toThrow();
  });
});
