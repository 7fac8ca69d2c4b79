import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("the interpreter's global scope", () => {
  it("lacks what Espruino 2v29 lacks", () => {
    const { run } = testBoard();
    const missing = ["Map", "Set", "WeakMap", "Symbol", "Proxy", "Reflect", "BigInt", "Intl", "WebAssembly"];
    for (const name of missing) expect(run(`typeof ${name}`), name).toBe("undefined");
    for (const name of ["Array.from", "Array.of", "Object.freeze", "Object.seal", "Number.isInteger", "Number.isNaN", "Math.trunc"]) {
      expect(run(`typeof ${name}`), name).toBe("undefined");
    }
    for (const name of ["Promise", "Uint8Array", "DataView", "JSON", "Object.assign", "global", "E", "Serial1", "USB", "LoopbackA"]) {
      expect(run(`typeof ${name}`), name).not.toBe("undefined");
    }
    expect(run("global === this && global.Serial1 === Serial1")).toBe(true);
  });

  it("shapes errors as Espruino does: no name, TypeError not an Error, String(e) still readable", () => {
    const { run } = testBoard();
    expect(run("new TypeError('x') instanceof Error")).toBe(false);
    expect(run("typeof new Error('x').name")).toBe("undefined");
    expect(run("String(new TypeError('bad'))")).toBe("TypeError: bad");
    expect(run("try { null.x } catch (e) { e instanceof TypeError && !(e instanceof Error) }")).toBe(true);
  });

  it("follows board time and the seed in Date and Math.random", () => {
    const { run, clock } = testBoard({ seed: 4 });
    clock.advance(1500);
    // One statement reads both at one board instant (time passes statement by statement).
    const [now, dateTime, boardMs] = run("[Date.now(), new Date().getTime(), getTime() * 1000]") as number[];
    expect(now).toBe(boardMs);
    // V8's Date keeps whole milliseconds, where Espruino's keeps the fraction too.
    expect(dateTime).toBe(Math.floor(boardMs));
    expect(now).toBeGreaterThanOrEqual(1500);
    expect(run("new Date(86400000).getUTCDate()")).toBe(2);
    expect(run("new Date() instanceof Date")).toBe(true);
    expect(run("Math.random()")).toBe(testBoard({ seed: 4 }).run("Math.random()"));
  });

  it("refuses syntax Espruino cannot parse, with a SyntaxError", () => {
    const { run } = testBoard();
    for (const code of ["var [a, b] = [1, 2]", "function f(x = 1) {}", "Math.max(...[1, 2])", "var o = {}; o?.x", "2 ** 3", "async function g() {}"]) {
      expect(() => run(code), code).toThrow("SyntaxError");
    }
    expect(run("var ok = [1, 2].map(function (x) { return x * 2; }); ok.join()")).toBe("2,4");
  });

  it("has no Node APIs", () => {
    const { run } = testBoard();
    for (const name of ["process.exit", "Buffer", "setImmediate", "queueMicrotask", "module", "exports", "__dirname"]) {
      expect(run(`typeof ${name}`), name).toBe("undefined");
    }
  });
});
