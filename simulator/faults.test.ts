import { describe, expect, it } from "vitest";
import { testBoard } from "./testing/test-board.ts";

/** Locks relay 0 of net0 (coil B15, feedback B3) the way the firmware does. */
function relayBoard() {
  const test = testBoard({ relayTiming: { bounceMs: 0 } });
  test.run("pinMode(B15, 'output'); pinMode(B3, 'input_pulldown'); pinMode(B14, 'output'); pinMode(B5, 'input_pulldown')");
  return test;
}

describe("fault injection", () => {
  it("relay-welded: the feedback says 'not released' with the coil off, and the contact stays closed", () => {
    const { run, board, clock } = relayBoard();
    expect(run("digitalRead(B3)")).toBe(1);
    board.inject({ kind: "relay-welded", relay: 0 });
    clock.advance(50);
    expect(run("digitalRead(B3)")).toBe(0);
    run("digitalWrite(B14, 1)");
    clock.advance(50);
    expect(board.snapshot().paths[0].conducting).toBe(true);
    board.inject({ kind: "relay-welded", relay: 0, active: false });
    clock.advance(50);
    expect(run("digitalRead(B3)")).toBe(1);
  });

  it("coil-open: a driven coil never pulls in, so the feedback stays 'released'", () => {
    const { run, board, clock } = relayBoard();
    board.inject({ kind: "coil-open", relay: 0 });
    run("digitalWrite(B15, 1)");
    clock.advance(50);
    expect(run("digitalRead(B3)")).toBe(1);
    expect(board.snapshot().relays[0].coilEnergised).toBe(false);
  });

  it("feedback-stuck: the input reads the stuck level whatever the relay does", () => {
    const { run, board, clock } = relayBoard();
    board.inject({ kind: "feedback-stuck", relay: 1, level: 0 });
    expect(run("digitalRead(B5)")).toBe(0);
    board.inject({ kind: "feedback-stuck", relay: 1, level: 1 });
    run("digitalWrite(B14, 1)");
    clock.advance(50);
    expect(run("digitalRead(B5)")).toBe(1);
    board.inject({ kind: "feedback-stuck", relay: 1, level: 1, active: false });
    expect(run("digitalRead(B5)")).toBe(0);
  });

  it("power-loss now or at a given time: coils drop out, the interpreter is gone", () => {
    const { run, board, clock } = relayBoard();
    run("digitalWrite(B15, 1)");
    clock.advance(50);
    board.inject({ kind: "power-loss", atMs: 100 });
    clock.advance(49);
    expect(board.powered).toBe(true);
    clock.advance(1);
    expect(board.powered).toBe(false);
    expect(board.snapshot().relays[0].coilEnergised).toBe(false);
    expect(() => board.evaluate("1")).toThrow("off");
    board.powerOn();
    board.inject({ kind: "power-loss" });
    expect(board.powered).toBe(false);
  });

  it("power-loss-during-write: the write is torn, the callback never finishes, the board boots again", () => {
    const { run, board, clock } = testBoard();
    run("var s = require('Storage'); s.write('state', 'old-state-1');");
    run("setTimeout(function () { try { s.write('state', 'new-state-2'); } catch (e) {} s.write('after', 'ran on'); }, 10)");
    board.inject({ kind: "power-loss-during-write", file: "state", afterBytes: 4 });
    clock.advance(20);
    expect(board.powered).toBe(false);
    board.powerOn();
    expect(run("require('Storage').read('state')")).toBe("new-" + "\xff".repeat(7));
    expect(run("require('Storage').read('after')")).toBeUndefined();
  });

  it("firmware-hang: no callback runs any more", () => {
    const { run, board, clock } = testBoard();
    run("var n = 0; setInterval(function () { n++; }, 10)");
    clock.advance(25);
    board.inject({ kind: "firmware-hang" });
    clock.advance(100);
    expect(board.snapshot().hung).toBe(true);
    expect(() => board.evaluate("n")).toThrow("not running");
    board.reset();
    expect(run("typeof n")).toBe("undefined");
  });

  it("flash-corruption: flips bytes of a named file, seeded", () => {
    const { run, board } = testBoard({ seed: 3 });
    run("require('Storage').write('cfg', 'AAAAAAAAAAAAAAAA')");
    board.inject({ kind: "flash-corruption", file: "cfg", bytes: 2 });
    expect(run("require('Storage').read('cfg')")).not.toBe("AAAAAAAAAAAAAAAA");
    expect(() => board.inject({ kind: "flash-corruption", file: "absent" })).toThrow("no file");
  });

  it("serial-noise: random bytes arrive on the link's RX", () => {
    const { run, board, clock } = testBoard();
    run("var got = ''; Serial1.setup(115200); Serial1.on('data', function (d) { got += d; })");
    board.inject({ kind: "serial-noise", device: "Serial1", bytes: 20 });
    clock.advance(10);
    expect(run("got.length")).toBe(20);
  });

  it("link-errors: bytes crossing the link are flipped or lost, in both directions", () => {
    const { run, board, clock, sent } = testBoard();
    run("var got = ''; Serial1.setup(115200); Serial1.on('data', function (d) { got += d; })");
    board.inject({ kind: "link-errors", device: "Serial1", dropProbability: 1 });
    board.serialInput("Serial1", "gone");
    run("Serial1.write('gone')");
    clock.advance(10);
    expect(run("got")).toBe("");
    expect(sent("Serial1")).toBe("");
    board.inject({ kind: "link-errors", device: "Serial1", active: false });
    board.serialInput("Serial1", "back");
    clock.advance(10);
    expect(run("got")).toBe("back");
  });

  it("link-unplugged / link-replugged: nothing crosses meanwhile; unplugging USB moves an unforced console", () => {
    const { run, board, clock } = testBoard();
    run("var got = ''; Serial1.setup(115200); Serial1.on('data', function (d) { got += d; })");
    board.inject({ kind: "link-unplugged", device: "Serial1" });
    board.serialInput("Serial1", "lost");
    clock.advance(10);
    board.inject({ kind: "link-replugged", device: "Serial1" });
    board.serialInput("Serial1", "ok");
    clock.advance(10);
    expect(run("got")).toBe("ok");
    board.inject({ kind: "link-unplugged", device: "USB" });
    expect(board.consoleDevice).toBe("Serial1");
    board.inject({ kind: "link-replugged", device: "USB" });
    expect(board.consoleDevice).toBe("USB");
    run("E.setConsole('LoopbackA', { force: true })");
    board.inject({ kind: "link-unplugged", device: "USB" });
    board.inject({ kind: "link-replugged", device: "USB" });
    expect(board.consoleDevice).toBe("LoopbackA");
  });

  it("error-flag: raises the flag as the interpreter would", () => {
    const { run, board } = testBoard();
    board.inject({ kind: "error-flag", flag: "LOW_MEMORY" });
    expect(run("E.getErrorFlags().join()")).toBe("LOW_MEMORY");
  });

  it("memory-pressure: less free memory, LOW_MEMORY, and at exhaustion intervals are removed with MEMORY", () => {
    const { run, board, clock } = testBoard();
    const free = run("process.memory().free") as number;
    board.inject({ kind: "memory-pressure", blocks: 1000 });
    expect(run("process.memory().free")).toBeLessThan(free - 990);
    expect(run("E.getErrorFlags().length")).toBe(0);
    run("var n = 0; setInterval(function () { n++; }, 10)");
    board.inject({ kind: "memory-pressure", blocks: 5100 });
    clock.advance(100);
    // With every block taken, not even a REPL statement's text fits: it is dropped as on the board.
    expect(board.evaluate("n")).toMatchObject({ ok: false, text: "Uncaught SyntaxError: Got EOF expected '}'" });
    board.inject({ kind: "memory-pressure", blocks: 0 });
    expect(run("n")).toBe(0);
    expect(run("E.getErrorFlags().join()")).toBe("LOW_MEMORY,MEMORY");
  });

  it("refuses faults naming hardware the board lacks", () => {
    const { board } = testBoard();
    expect(() => board.inject({ kind: "relay-welded", relay: 99 })).toThrow("no relay 99");
    expect(() => board.inject({ kind: "serial-noise", device: "Serial9", bytes: 1 })).toThrow("no device Serial9");
  });
});
