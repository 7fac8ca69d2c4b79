import { describe, expect, it } from "vitest";
import { byteTimeMs } from "../world/serial-line.ts";
import { rxQueueChars } from "../mcu/uart.ts";
import { testBoard } from "../testing/test-board.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { RealClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { SimulatedBoard } from "../simulated-board.ts";

const BYTE_MS = byteTimeMs(115200);

describe("serial devices", () => {
  it("paces output: N bytes take N x 86.8 µs of board time", () => {
    const { run, clock, sent } = testBoard();
    run("Serial1.setup(115200, { tx: B6, rx: B7 }); Serial1.write('x'.repeat(100))");
    clock.advance(99 * BYTE_MS + BYTE_MS / 2);
    expect(sent("Serial1").length).toBe(99);
    clock.advance(BYTE_MS);
    expect(sent("Serial1")).toBe("x".repeat(100));
  });

  it("paces input too, and hands it to data listeners in the chunks that have arrived", () => {
    const { run, clock, board } = testBoard();
    run("var got = []; Serial1.setup(115200); Serial1.on('data', function (d) { got.push([d, getTime()]); })");
    const sentAtMs = clock.nowMs();
    board.serialInput("Serial1", "abc");
    clock.advance(10 * BYTE_MS);
    const got = JSON.parse(run("JSON.stringify(got)") as string) as [string, number][];
    expect(got.map((entry) => entry[0]).join("")).toBe("abc");
    // Each chunk is handed over no sooner than its last byte has arrived; a busy handler gets the rest together.
    let bytes = 0;
    for (const [chunk, atS] of got) {
      bytes += chunk.length;
      expect(atS * 1000).toBeGreaterThanOrEqual(sentAtMs + bytes * BYTE_MS);
    }
    expect(got.length).toBeGreaterThan(1);
  });

  it("sends and receives nothing on a UART that was not set up", () => {
    const { run, clock, board, sent } = testBoard();
    run("var got = ''; Serial1.on('data', function (d) { got += d; }); Serial1.write('lost')");
    board.serialInput("Serial1", "also lost");
    clock.advance(10);
    expect(sent("Serial1")).toBe("");
    expect(run("got")).toBe("");
  });

  it("drops bytes past the RX buffer while the interpreter is hung, raising FIFO_FULL", () => {
    const { run, clock, board } = testBoard();
    run("Serial1.setup(115200)");
    board.inject({ kind: "firmware-hang" });
    board.serialInput("Serial1", "y".repeat(rxQueueChars("stm32") + 10));
    clock.advance(100);
    expect(board.snapshot().errorFlags).toEqual(["FIFO_FULL"]);
  });

  it("a stalled host catches up on overdue bytes chunk by chunk, each taken by the idle loop before the next: no burst, no FIFO_FULL", async () => {
    // A real clock and a real stall: charged CPU time is the board being busy, when bytes do pile up.
    const clock = new RealClock();
    const board = new SimulatedBoard({ profile: loadProfile("PICO"), clock, flash: new Flash(), seed: 1, cpuModel: false });
    try {
      board.powerOn();
      const run = (code: string): unknown => {
        const result = board.evaluate(code);
        if (!result.ok) throw new Error(result.text);
        return result.value;
      };
      run("var got = '', longest = 0; Serial1.setup(115200); Serial1.on('data', function (d) { got += d; longest = Math.max(longest, d.length); })");
      const data = "z".repeat(3 * rxQueueChars("stm32"));
      board.serialInput("Serial1", data);
      // The host process is descheduled for 60 ms: about 690 bytes fall due before anything runs.
      const stallEndMs = performance.now() + 60;
      while (performance.now() < stallEndMs);
      const deadlineMs = performance.now() + 5000;
      while (run("got.length") !== data.length && performance.now() < deadlineMs) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(board.snapshot().errorFlags).toEqual([]);
      expect(run("got")).toBe(data);
      expect(run("longest") as number).toBeLessThanOrEqual(Math.ceil(1 / BYTE_MS) + 1);
    } finally {
      board.powerOff();
      clock.dispose();
    }
  });

  it("reports new error flags through E.on('errorFlag') and the console", () => {
    const { run, clock, board, sent } = testBoard();
    run("var flags; E.on('errorFlag', function (f) { flags = f.join(); })");
    board.inject({ kind: "error-flag", flag: "UART_OVERFLOW" });
    clock.advance(1);
    expect(run("flags")).toBe("UART_OVERFLOW");
    expect(sent("USB")).toContain("New interpreter error: UART_OVERFLOW\r\n");
    expect(run("E.getErrorFlags().join()")).toBe("UART_OVERFLOW");
    expect(run("E.getErrorFlags().length")).toBe(0);
  });

  it("garbles bytes and reports framing errors when the baud rate differs from the peer's", () => {
    const { run, clock, board } = testBoard();
    run("var got = '', framing = 0; Serial1.setup(9600); Serial1.on('data', function (d) { got += d; }); Serial1.on('framing', function () { framing++; })");
    board.serialInput("Serial1", "HELLO");
    clock.advance(10);
    expect(run("got.length")).toBe(5);
    expect(run("got")).not.toBe("HELLO");
    expect(run("framing")).toBeGreaterThan(0);
  });

  it("accepts strings, bytes, arrays and typed arrays in write()", () => {
    const { run, clock, sent } = testBoard();
    run("Serial1.setup(115200); Serial1.write('A', 66, [67, 68], new Uint8Array([69])); Serial1.print(1); Serial1.println('!')");
    clock.advance(5);
    expect(sent("Serial1")).toBe("ABCDE1!\r\n");
  });

  it("gives USB data to listeners only once the console has left USB", () => {
    const { run, clock, board } = testBoard();
    run("var got = ''; USB.on('data', function (d) { got += d; })");
    board.consoleInput("typed");
    clock.advance(1);
    expect(run("got")).toBe("");
    run("LoopbackA.setConsole()");
    board.consoleInput("data");
    clock.advance(1);
    expect(run("got")).toBe("data");
  });

  it("forgets Serial.setup() on reset(); console bytes reach the REPL of the restarted interpreter", () => {
    const { run, clock, board, sent } = testBoard();
    const typed: string[] = [];
    board.attachRepl({ input: (data) => typed.push(data), interpreterRestarted: () => typed.push("|restart|") });
    run("Serial1.setup(115200); reset()");
    board.consoleInput("abc");
    clock.advance(1);
    expect(typed.join("")).toBe("|restart|abc");
    run("Serial1.write('dropped')");
    clock.advance(5);
    expect(sent("Serial1")).toBe("");
    expect(board.snapshot().devices.Serial1).toEqual({ baud: undefined, plugged: true, droppedTxBytes: 7 });
  });
});
