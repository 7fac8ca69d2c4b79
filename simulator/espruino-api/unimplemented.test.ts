import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("Espruino APIs the simulator does not implement", () => {
  it("throw an Error naming the API and are recorded, never silently ignored", () => {
    const { run, board, events } = testBoard();
    const calls = ["E.getTemperature()", "SPI1.setup({})", "Serial1.read()", "require('Storage').open('f', 'r')", "analogRead(A0)", "digitalPulse(B1, 1, 5)", "peek32(0)", "console.trace()", "require('net')"];
    for (const call of calls) expect(() => run(call), call).toThrow(/not implemented by the simulator|Module net not found/);
    expect(board.snapshot().unimplementedCalls).toEqual(["E.getTemperature", "SPI1.setup", "Serial1.read", "Storage.open", "analogRead", "digitalPulse", "peek32", "console.trace", 'require("net")']);
    expect(events.filter((event) => event.type === "unimplemented")).toHaveLength(calls.length);
  });

  it("still exist for feature tests (typeof), as on the board", () => {
    const { run, board } = testBoard();
    expect(run("typeof E.getTemperature")).toBe("function");
    expect(board.snapshot().unimplementedCalls).toEqual([]);
  });

  it("are reported when called from a callback too", () => {
    const { run, board, clock, sent } = testBoard();
    run("setTimeout(function () { E.setClock(84); }, 1)");
    clock.advance(2);
    expect(board.snapshot().unimplementedCalls).toEqual(["E.setClock"]);
    expect(sent("USB")).toContain("Uncaught Error: E.setClock is not implemented by the simulator");
  });
});
