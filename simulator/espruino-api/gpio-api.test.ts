import { describe, expect, it } from "vitest";
import { testBoard } from "../testing/test-board.ts";

describe("pins", () => {
  it("starts every pin as an undriven input (analog on STM32) that reads 0", () => {
    const { run, board } = testBoard();
    expect(run("getPinMode(B15)")).toBe("analog");
    expect(board.snapshot().pins.B15).toEqual({ mode: "analog", manual: false, level: 0, source: "floating" });
  });

  it("switches mode automatically: digitalWrite makes an output, digitalRead then an input", () => {
    const { run, board } = testBoard();
    run("digitalWrite(B15, 1)");
    expect(run("getPinMode(B15)")).toBe("output");
    expect(board.snapshot().relays[0].coilEnergised).toBe(true);
    expect(run("digitalRead(B15)")).toBe(0);
    expect(run("getPinMode(B15)")).toBe("input");
    expect(board.snapshot().relays[0].coilEnergised).toBe(false);
  });

  it("keeps a pin locked by pinMode", () => {
    const { run } = testBoard();
    run('pinMode(B15, "output"); digitalWrite(B15, 1)');
    expect(run("digitalRead(B15)")).toBe(1);
    expect(run("getPinMode(B15)")).toBe("output");
    run('pinMode(B15, "auto")');
    expect(run("digitalRead(B15)")).toBe(0);
  });

  it("reads pulls, open drain and external drives (A1 is a feedback pin: the released relay's mirror contact pulls it high)", () => {
    const { run } = testBoard();
    expect(run('pinMode(A0, "input_pullup"); digitalRead(A0)')).toBe(1);
    expect(run('pinMode(A0, "input_pulldown"); digitalRead(A0)')).toBe(0);
    expect(run('pinMode(B12, "opendrain"); digitalWrite(B12, 1); digitalRead(B12)')).toBe(0);
    expect(run('pinMode(B12, "opendrain_pullup"); digitalRead(B12)')).toBe(1);
    expect(run('pinMode(A1, "input_pulldown"); digitalRead(A1)')).toBe(1);
  });

  it("accepts names and pin objects, arrays as bit patterns, and Pin methods", () => {
    const { run } = testBoard();
    run('pinMode(B15, "output"); pinMode(B14, "output"); pinMode(B13, "output"); digitalWrite([B15, "B14", B13], 5)');
    expect(run("[digitalRead(B15), digitalRead(B14), digitalRead(B13)].join()")).toBe("1,0,1");
    expect(run('pinMode(B12, "output"); B12.set(); B12.read()')).toBe(true);
    expect(run("B12.toggle()")).toBe(false);
    expect(run("String(B12) + (B12 instanceof Pin)")).toBe("B12true");
  });

  it("rejects bad pins and modes with Espruino's errors, and numeric pins loudly", () => {
    const { run, board } = testBoard();
    expect(() => run('digitalWrite("Z9", 1)')).toThrow("Invalid pin!");
    expect(() => run('pinMode(B1, "sideways")')).toThrow("Unknown pin mode");
    expect(() => run("digitalWrite(13, 1)")).toThrow("not implemented by the simulator");
    expect(board.snapshot().unimplementedCalls).toEqual(["numeric pin numbers"]);
  });
});
