import { describe, expect, it } from "vitest";
import { checkBundle } from "./check-bundle.ts";

/** Snippets Espruino rejects or misruns, each with the construct name its violation must carry. */
const FORBIDDEN: Array<[construct: string, code: string]> = [
  ["class field without initialiser", "class A { name; }"],
  ["extends Error", "class Failure extends Error {}"],
  ["extends TypeError", "var F = class extends TypeError {};"],
  ["extends Array", "class List extends Array {}"],
  ["default parameter", "function f(a = 1) { return a; }"],
  ["default parameter", "var f = (a, b = 2) => a + b;"],
  ["rest parameter", "function f(...args) { return args; }"],
  ["array spread", "var a = [...b];"],
  ["call spread", "f(...args);"],
  ["call spread", "new Point(...xy);"],
  ["object spread", "var o = { ...p, x: 1 };"],
  ["destructuring", "var { a, b } = o;"],
  ["destructuring", "var [x, y] = pair;"],
  ["destructuring", "function f({ a }) { return a; }"],
  ["destructuring", "for (var [k, v] of entries) k;"],
  ["optional chaining ?.", "var v = a?.b;"],
  ["optional chaining ?.", "f?.();"],
  ["exponent operator **", "var p = 2 ** 8;"],
  ["exponent operator **", "p **= 2;"],
  ["logical assignment &&=", "a &&= b;"],
  ["logical assignment ||=", "a ||= b;"],
  ["logical assignment ??=", "a ??= b;"],
  ['reserved word "of" as a name', "function f(of) { return of; }"],
  ['reserved word "static" as a name', "var static = 1;"],
  ["computed key", "var o = { [k]: 1 };"],
  ["computed key", "class A { [k]() {} }"],
  ["computed key", "class A { [k] = 1; }"],
  ["label", "outer: for (;;) break outer;"],
  ["tagged template", "var s = tag`x${1}`;"],
  ["generator", "function* g() { yield 1; }"],
  ["async function", "async function f() { return 1; }"],
  ["async function", "var f = async () => 1;"],
  ["await", "async function f() { await p; }"],
  ["Map", "var m = new Map();"],
  ["Set", "var s = new Set([1]);"],
  ["WeakMap", "var w = new WeakMap();"],
  ["Symbol", "var it = o[Symbol.iterator];"],
  ["Proxy", "var p = new Proxy({}, {});"],
  ["Reflect", "Reflect.ownKeys(o);"],
  ["BigInt", "var n = BigInt(1);"],
  ["BigInt", "var n = 10n;"],
  ["Object.freeze", "Object.freeze(o);"],
  ["Object.seal", "Object.seal(o);"],
  ["Array.from", "Array.from(x);"],
  ["Array.of", "Array.of(1, 2);"],
  ["Number.isInteger", "Number.isInteger(x);"],
  ["Number.isNaN", "Number.isNaN(x);"],
  ["Math.trunc", "Math.trunc(x);"],
  ["lookaround", "var r = /a(?=b)/;"],
  ["lookaround", "var r = /(?<!a)b/;"],
  ["counted quantifier {n,m}", "var r = /a{1,3}/;"],
  ["counted quantifier {n,m}", "var r = new RegExp('[0-9]{2}');"],
  ["word boundary \\b", "var r = /\\bword/;"],
  ["RegExp flag m", "var r = /^a/m;"],
  ["named group", "var r = /(?<year>\\d+)/;"],
  ["regex too deep", "var r = /^HB ([0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ([0-9]+)$/;"],
  ["Array.prototype.slice", "var s = Array.prototype.slice.call(arguments);"],
  ["Function.prototype.call", "Function.prototype.call.call(f, o);"],
  ["String.prototype.charAt", "String.prototype.charAt.call(s, 0);"],
  ["Object.prototype.hasOwnProperty", "Object.prototype.hasOwnProperty.call(o, k);"],
  ["fn.name", "function handler() {} print(handler.name);"],
  ["fn.name", "try { f(); } catch (e) { print(e.name); }"],
  ["fn.name", "print(this.constructor.name);"],
  ["return followed by a newline", "function f() { return\n  1; }"],
  ['require("fs")', 'var fs = require("fs");'],
  ["require(…)", "var m = require(name);"],
  ["closure over a let in a loop", "for (let i = 0; i < 3; i++) fns.push(() => i);"],
  ["named class expression", "var A = class B { m() { return B; } };"],
  ["syntax error", "var = ;"],
];

/** Constructs Espruino runs as standard JavaScript does; none may be reported. */
const ALLOWED: Array<[what: string, code: string]> = [
  ["Espruino's reserved words as property names", "var o = { of: 1 }; o.static = o.of;"],
  ["class with initialised fields, statics, getters and super", "class A { x = 1; static y = 2; get z() { return this.x; } } class B extends A { constructor() { super(); } }"],
  ["arrow functions", "var f = (a) => a + 1; var g = () => { return 2; };"],
  ["untagged template literals", "var s = `a${1}b`;"],
  ["for..of over arrays", "for (var x of [1, 2]) print(x);"],
  ["let and const", "let a = 1; const b = 2; { let a = 3; }"],
  ["nullish coalescing", "var v = a ?? 0;"],
  ["Promise", "Promise.all([Promise.resolve(1)]).then((v) => v);"],
  ["typed arrays and DataView", "var b = new Uint8Array(4); var d = new DataView(b.buffer); d.getUint8(0);"],
  ["borrowed built-in methods", "var args = [].slice.call(arguments); var has = {}.hasOwnProperty.call(o, 'k');"],
  ["Object helpers", "Object.assign({}, o); Object.keys(o); Object.entries(o); Object.defineProperty(o, 'k', { value: 1 });"],
  ["string methods", "'ab'.startsWith('a') && 'ab'.padStart(3) && 'a'.repeat(2).trim().includes('a');"],
  ["try/catch/finally, optional catch binding", "try { f(); } catch { g(); } finally { h(); }"],
  ["simple regular expressions", "var r = /^[a-z0-9_]+(\\.[a-z]+)*$/gi; var s = /[\\b]/;"],
  ["board modules", 'var c = require("crypto"); var s = require("Storage");'],
  ["return at the end of a block", "function f() { if (a) { return\n} return 1; }"],
  ["typeof guard of a missing global", "var hasMap = typeof Map !== 'undefined';"],
  ["class stored under its own name", "var _S = class _S { constructor() { _S.n++; } }; _S.n = 0;"],
  ["name of a plain object", "var o = { name: 'x' }; print(o.name);"],
  ["a regex as deep as the firmware's heartbeat match", "var r = /^HB [ 0-9a-f]*$/;"],
];

describe("checkBundle rejects what Espruino cannot run", () => {
  it.each(FORBIDDEN)("%s", (construct, code) => {
    const violations = checkBundle(code);
    expect(violations.some((violation) => violation.includes(` ${construct}:`)), violations.join("\n")).toBe(true);
  });

  it("reports line and column counted from 1", () => {
    expect(checkBundle("var a = 1;\nvar b = [...a];")[0]).toMatch(/^2:10 array spread: /);
  });

  it("names the construct and what to write instead", () => {
    const [violation] = checkBundle("function f(a = 1) {}");
    expect(violation).toContain("default parameter");
    expect(violation).toContain("if (p === undefined) p = value");
  });
});

describe("checkBundle accepts what Espruino runs", () => {
  it.each(ALLOWED)("%s", (_what, code) => {
    expect(checkBundle(code)).toEqual([]);
  });
});

describe("checkBundle: use before definition at top level", () => {
  it("catches a call above the function declaration", () => {
    const violations = checkBundle("start(); function start() {}");
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^1:1 use before definition: this uses `start`, defined later at 1:10/);
  });

  it("catches a read of a var before its statement", () => {
    expect(checkBundle("var a = b + 1; var b = 2;")[0]).toContain("use before definition: this uses `b`");
  });

  it("catches a later declarator of the same var statement", () => {
    expect(checkBundle("var a = b, b = 2;")).toHaveLength(1);
  });

  it("catches a top-level call whose function body reads a later name", () => {
    const violations = checkBundle("function init() { return config.x; } var app = init(); var config = { x: 1 };");
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain("calling init here runs code that uses `config`");
  });

  it("catches `new` of a class whose constructor reads a later name", () => {
    const violations = checkBundle("class Board { constructor() { this.pins = PINS; } } var board = new Board(); var PINS = [];");
    expect(violations[0]).toContain("calling Board here runs code that uses `PINS`");
  });

  it("catches use before definition inside the bundle's IIFE", () => {
    expect(checkBundle("(() => { run(); function run() {} })();")[0]).toContain("this uses `run`");
  });

  it("catches an IIFE that reads a program-level name defined after it", () => {
    expect(checkBundle("(() => { helper(); })(); function helper() {}")[0]).toContain("this uses `helper`");
  });

  it("allows a forward reference inside a function body called later", () => {
    expect(checkBundle("function start() { return later(); } function later() { return 1; } start();")).toEqual([]);
  });

  it("allows a forward reference in a callback registered at top level", () => {
    expect(checkBundle('E.on("init", () => start()); function start() {}')).toEqual([]);
  });

  it("allows locals that shadow a later top-level name", () => {
    expect(checkBundle("function f(config) { var state = 1; return config + state; } f(1); var config = 2; var state = 3;")).toEqual([]);
  });

  it("allows methods and instance fields to name later classes", () => {
    expect(checkBundle("class A { make() { return new B(); } } var a = new A(); class B {}")).toEqual([]);
  });

  it("catches `extends` of a class declared later", () => {
    expect(checkBundle("class A extends B {} class B {}")[0]).toContain("this uses `B`");
  });
});
