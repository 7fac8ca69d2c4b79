import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe('require("Storage")', () => {
  it("reads, writes, lists, erases, with undefined for absent files", () => {
    const { run } = testBoard();
    run("var s = require('Storage')");
    expect(run("s.read('nope')")).toBeUndefined();
    expect(run("s.write('state', 'level=3')")).toBe(true);
    expect(run("s.read('state')")).toBe("level=3");
    expect(run("s.read('state', 6, 1)")).toBe("3");
    expect(run("s.list(/sta/).join()")).toBe("state");
    run("s.erase('state')");
    expect(run("s.list().length")).toBe(0);
  });

  it("truncates names over 28 characters silently", () => {
    const { run } = testBoard();
    run("require('Storage').write('abcdefghijklmnopqrstuvwxyz0123456789', 'x')");
    expect(run("require('Storage').list()[0]")).toBe("abcdefghijklmnopqrstuvwxyz01");
    expect(run("require('Storage').read('abcdefghijklmnopqrstuvwxyz01-and-more')")).toBe("x");
  });

  it("handles JSON, with and without exceptions", () => {
    const { run } = testBoard();
    run("var s = require('Storage'); s.writeJSON('cfg', { a: [1, 2] }); s.write('bad', '{oops')");
    expect(run("s.readJSON('cfg').a[1]")).toBe(2);
    expect(run("Array.isArray(s.readJSON('cfg').a)")).toBe(true);
    expect(run("s.readJSON('bad', true)")).toBeUndefined();
    expect(() => run("s.readJSON('bad')")).toThrow("SyntaxError");
    expect(run("s.readJSON('absent')")).toBeUndefined();
    run("s.write('obj', { b: 1 })");
    expect(run("s.read('obj')")).toBe('{"b":1}');
  });

  it("writes in parts and reports Espruino's errors inside the interpreter", () => {
    const { run } = testBoard();
    run("var s = require('Storage'); s.write('a', 'Hello', 0, 11); s.write('a', ' World', 5)");
    expect(run("s.read('a')")).toBe("Hello World");
    expect(() => run("s.write('a', 'x', 3)")).toThrow("File already written with different data");
    expect(run("try { s.write('b', 'toolong', 0, 2) } catch (e) { e instanceof Error }")).toBe(true);
  });

  it("reports free space and stats, and reads ArrayBuffers", () => {
    const { run, flash } = testBoard();
    run("var s = require('Storage'); s.write('f', [1, 2, 3]); s.write('f', [1, 2, 4])");
    expect(run("s.getStats().trashCount")).toBe(1);
    expect(run("s.getFree()")).toBe(flash.stats().freeBytes);
    expect(run("new Uint8Array(s.readArrayBuffer('f'))[2]")).toBe(4);
    run("s.compact()");
    expect(run("s.getStats().trashCount")).toBe(0);
  });
});
