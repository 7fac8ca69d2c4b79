import { describe, expect, it } from "vitest";
import type { EvalResult } from "../simulated-board.ts";
import { Repl } from "./repl.ts";
import { countBrackets, BRACKETS_UNFINISHED } from "./repl-brackets.ts";
import { formatValue } from "./repl-format.ts";

/** A REPL over a fake interpreter: `print(...)` writes through the REPL's rules, the rest is eval'd. */
function harness(evaluate?: (code: string) => EvalResult) {
  let output = "";
  const statements: string[] = [];
  const consoleState = { echo: true, locked: false };
  const repl: Repl = new Repl({
    console: consoleState,
    unlockConsole: (password) => {
      consoleState.locked = password !== "secret";
      return !consoleState.locked;
    },
    consoleWrite: (text) => (output += text),
    evaluate: (code) => {
      statements.push(code);
      if (evaluate) return evaluate(code);
      const printed = /^print\((.*)\)$/.exec(code);
      if (printed) {
        repl.removeInputLine();
        output += printed[1].split(",").map((part) => JSON.parse(part.trim())).join(" ") + "\r\n";
        return { ok: true, value: undefined };
      }
      try {
        return { ok: true, value: (0, eval)(code) };
      } catch (error) {
        return { ok: false, error, text: String(error) };
      }
    },
  });
  return {
    repl,
    console: consoleState,
    statements,
    send(text: string) {
      repl.input(text);
    },
    take() {
      const taken = output;
      output = "";
      return taken;
    },
  };
}

describe("Repl line discipline", () => {
  it("answers an empty line with a fresh prompt and nothing else", () => {
    const board = harness();
    board.send("\n");
    expect(board.take()).toBe("\r\n>");
    expect(board.statements).toEqual([]);
  });

  it("echoes a typed line and prints its value", () => {
    const board = harness();
    board.send("1+2\r");
    expect(board.take()).toBe("1+2\r\n=3\r\n>");
  });

  it("treats \\r\\n as one line end, and \\r or \\n alone as one too", () => {
    const board = harness();
    board.send("1\r\n2\n3\r");
    expect(board.statements).toEqual(["1", "2", "3"]);
  });

  it("gives the same result whatever the chunking", () => {
    const whole = harness();
    whole.send("\x10var a = [1,\x1b\n2];\n\x10print(\"x\", \"y\")\na\r\n");
    const bytes = harness();
    for (const char of "\x10var a = [1,\x1b\n2];\n\x10print(\"x\", \"y\")\na\r\n") bytes.send(char);
    expect(bytes.statements).toEqual(whole.statements);
    expect(bytes.take()).toBe(whole.take());
  });

  it("runs a DLE line silently: no echo, no =value", () => {
    const board = harness();
    board.send("\x10var x = 5\n");
    expect(board.take()).toBe("");
    expect(board.statements).toEqual(["var x = 5"]);
  });

  it("shows print output of a DLE line, then the prompt", () => {
    const board = harness();
    board.send('\x10print("<", "<<", "{}", ">>", ">")\n');
    expect(board.take()).toBe("< << {} >> >\r\n>");
  });

  it("continues a line with open brackets and runs it once they close", () => {
    const board = harness();
    board.send("[1,\r");
    expect(board.take()).toBe("[1,\r\n:");
    board.send("2]\r");
    expect(board.statements).toEqual(["[1,\n2]"]);
    expect(board.take()).toBe("2]\r\n=[ 1, 2 ]\r\n>");
  });

  it("ignores brackets inside strings, comments and regular expressions", () => {
    expect(countBrackets('f("(", \')\')')).toBe(0);
    expect(countBrackets("f(1 /* ( */)")).toBe(0);
    expect(countBrackets("f(1 // )")).toBe(1);
    expect(countBrackets("x = /[(]/.test(s)")).toBe(0);
    expect(countBrackets("a = b / (c) / d")).toBe(0);
    expect(countBrackets("`${a}(`")).toBe(0);
    expect(countBrackets("/* open")).toBe(BRACKETS_UNFINISHED);
    expect(countBrackets("`open")).toBe(BRACKETS_UNFINISHED);
    expect(countBrackets('"unfinished (')).toBe(0);
    expect(countBrackets("}) extra (")).toBe(-1);
  });

  it("keeps ESC \\n as a newline inside the statement", () => {
    const board = harness();
    board.send("\x10var f = 1\x1b\n+ 2\n");
    expect(board.statements).toEqual(["var f = 1\n+ 2"]);
  });

  it("strips line-number markers", () => {
    const board = harness();
    board.send("\x10\x1b[12dvar a = 1\n\x10\x1b[3d\x1b[4dvar b = 2\n");
    expect(board.statements).toEqual(["var a = 1", "var b = 2"]);
    expect(board.take()).toBe("");
  });

  it("prints uncaught errors", () => {
    const board = harness();
    board.send('throw new Error("boom")\n');
    expect(board.take()).toBe('throw new Error("boom")\r\nUncaught Error: boom\r\n>');
    board.send("\x10nope()\n");
    expect(board.take()).toBe("Uncaught ReferenceError: nope is not defined\r\n>");
  });

  it("clears the line on Ctrl-C without running it", () => {
    const board = harness();
    board.send("1+");
    board.take();
    board.send("\x03");
    expect(board.take()).toBe("\r\x1b[J>");
    board.send("2\r");
    expect(board.statements).toEqual(["2"]);
  });

  it("ends a DLE line's silence on Ctrl-C", () => {
    const board = harness();
    board.send("\x101+\x03");
    expect(board.take()).toBe(">");
    board.send("7\r");
    expect(board.take()).toBe("7\r\n=7\r\n>");
  });

  it("edits with backspace", () => {
    const board = harness();
    board.send("12\x7f3\r");
    expect(board.statements).toEqual(["13"]);
    expect(board.take()).toBe("12\x08 \x083\r\n=13\r\n>");
  });

  it("asks for the password while the console is locked, and never evaluates the attempts", () => {
    const board = harness();
    board.console.locked = true;
    board.send("1+1\r");
    expect(board.take()).toBe("\r\n  Invalid password\r\npassword>");
    expect(board.statements).toEqual([]);
    board.send("secret\r");
    expect(board.take()).toBe("\r\n  Logged in.\r\n>");
    board.send("2\r");
    expect(board.statements).toEqual(["2"]);
  });

  it("does not echo after echo(false), but still runs lines", () => {
    const board = harness();
    board.console.echo = false;
    board.send("3\r");
    expect(board.take()).toBe("");
    expect(board.statements).toEqual(["3"]);
  });

  it("starts silent again after the interpreter restarts", () => {
    const board = harness();
    board.send("\x10half(");
    board.repl.interpreterRestarted();
    board.send("\n");
    expect(board.take()).toBe("\r\n>");
    expect(board.statements).toEqual([]);
  });

  it("prints nothing while idle, and restores the prompt after outside output", () => {
    const board = harness();
    board.send("1");
    board.take();
    board.repl.removeInputLine();
    expect(board.take()).toBe("\r\x1b[J");
    board.repl.returnInputLine();
    board.repl.returnInputLine();
    expect(board.take()).toBe(">1");
  });
});

describe("formatValue", () => {
  it("writes values the way Espruino's REPL does", () => {
    expect(formatValue(undefined)).toBe("undefined");
    expect(formatValue(null)).toBe("null");
    expect(formatValue(42)).toBe("42");
    expect(formatValue("a\"b\n")).toBe('"a\\"b\\n"');
    expect(formatValue([1, "x"])).toBe('[ 1, "x" ]');
    expect(formatValue({ a: 1, "b-c": [] })).toBe('{ a: 1, "b-c": [ ] }');
    expect(formatValue({})).toBe("{ }");
    expect(formatValue(new Uint8Array([1, 2]))).toBe("new Uint8Array([1, 2])");
    expect(formatValue(function named(a: number) { return a; })).toMatch(/^function \(a\)/);
    class Pin {
      toString() {
        return "B3";
      }
    }
    expect(formatValue(new Pin())).toBe("B3");
  });

  it("breaks long structures over lines and survives cycles", () => {
    const long = { first: "a".repeat(30), second: "b".repeat(30) };
    expect(formatValue(long)).toBe(`{\n  first: "${"a".repeat(30)}",\n  second: "${"b".repeat(30)}"\n}`);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe("{ self: { ... } }");
  });
});
