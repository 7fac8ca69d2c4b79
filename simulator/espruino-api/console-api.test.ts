import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("console", () => {
  it("print() joins with spaces, formats like Espruino and ends lines with \\r\\n", () => {
    const { run, clock, sent } = testBoard();
    run("setTimeout(function () { print('a', 1, { b: [1, 'x'] }, new Uint8Array([1, 2]), undefined, B3); console.log('two\\nlines'); }, 1)");
    clock.advance(2);
    expect(sent("USB")).toContain('a 1 { "b": [ 1, "x" ] } new Uint8Array([1, 2]) undefined B3\r\ntwo\r\nlines\r\n');
  });

  it("moves with E.setConsole (names or devices), is reported in process.env.CONSOLE, and can be switched off", () => {
    const { run, clock, sent, board } = testBoard();
    run("Serial1.setup(115200); E.setConsole('Serial1', { force: true })");
    expect(board.consoleDevice).toBe("Serial1");
    expect(run("process.env.CONSOLE")).toBe("Serial1");
    run("setTimeout(function () { print('here'); }, 1)");
    clock.advance(5);
    expect(sent("Serial1")).toBe("here\r\n");
    run("E.setConsole(null)");
    expect(board.consoleDevice).toBeUndefined();
    run("USB.setConsole(); setTimeout(function () { print('back'); }, 1)");
    clock.advance(5);
    expect(sent("USB")).toContain("back\r\n");
    expect(() => run("E.setConsole('Serial9')")).toThrow("not a device");
  });

  it("tracks the password lock and echo for the REPL", () => {
    const { run, board } = testBoard();
    run("E.lockConsole()");
    expect(board.console.locked).toBe(false);
    run("E.setPassword('secret'); E.lockConsole(); echo(0)");
    expect(board.console).toEqual({ device: "USB", locked: true, echo: false });
    expect(board.unlockConsole("wrong")).toBe(false);
    expect(board.unlockConsole("secret")).toBe(true);
    expect(board.console.locked).toBe(false);
  });

  it("lets an attached REPL take the prompt off the screen around callback output", () => {
    const { run, clock, board } = testBoard();
    const calls: string[] = [];
    board.attachRepl({ input: () => {}, interpreterRestarted: () => calls.push("restarted"), removeInputLine: () => calls.push("remove"), returnInputLine: () => calls.push("return") });
    run("print('during REPL statement')");
    expect(calls).toEqual([]);
    run("setTimeout(function () { print('async'); }, 1)");
    clock.advance(2);
    expect(calls).toEqual(["remove", "return"]);
  });
});
