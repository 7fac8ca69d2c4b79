import { describe, expect, it } from "vitest";
import { BOOT_CODE_FILE } from "../protocol/storage-names.ts";
import { testBoard } from "./testing/test-board.ts";

/** A small Espruino-style program: everything defined at top level, started from E.on("init"). */
const PROGRAM = [
  "var ticks = 0, received = '', booted = 0;",
  "function start() { booted++; Serial1.setup(115200, { tx: B6, rx: B7 }); Serial1.on('data', function (d) { received += d; Serial1.write(d.toUpperCase()); }); setInterval(function () { ticks++; }, 100); pinMode(B15, 'output'); digitalWrite(B15, 1); }",
  "E.on('init', start);",
];

describe("SimulatedBoard", () => {
  it("runs an uploaded program, survives a power cycle from flash, and boots into it again", () => {
    const { run, board, clock, sent } = testBoard();
    run("reset()");
    clock.advance(0);
    for (const line of PROGRAM) run(line);
    run("save()");
    expect(run("booted")).toBe(1);
    clock.advance(0);
    expect(sent("USB")).toContain("Compacting Flash...");
    clock.advance(1000);
    board.serialInput("Serial1", "ping");
    clock.advance(5);
    expect(run("[ticks, received].join()")).toBe("10,ping");
    expect(sent("Serial1")).toBe("PING");

    board.powerOff();
    expect(board.snapshot().relays[0].coilEnergised).toBe(false);
    clock.advance(5000);
    board.powerOn();
    expect(run("[booted, ticks, received].join()")).toBe("1,0,");
    clock.advance(500);
    board.serialInput("Serial1", "again");
    clock.advance(5);
    expect(run("[ticks, received].join()")).toBe("5,again");
    expect(board.snapshot().relays[0].coilEnergised).toBe(true);
    expect(board.snapshot().bootCount).toBe(2);
  });

  it("boots in Espruino's order: saved code, boot code, E.on('init') handlers, then onInit()", () => {
    const { run, board, clock, sent } = testBoard();
    run("reset()");
    clock.advance(0);
    run("var order = []; E.on('init', function () { order.push('init'); }); function onInit() { order.push('onInit'); }");
    run("save()");
    expect(run("order.join()")).toBe("init,onInit");
    clock.advance(0);
    expect(sent("USB")).toContain("Running onInit()...");
    board.reset();
    expect(run("order.join()")).toBe("init,onInit");
    expect(board.snapshot().resets.map((entry) => entry.cause)).toEqual(["power-on", "interpreter-reset", "reset-pin"]);
  });

  it("save() takes effect at idle, so a=1;save();a=2 saves a=2", () => {
    const { run, board } = testBoard();
    run("var a = 1; save(); a = 2;");
    board.powerOff();
    board.powerOn();
    expect(run("a")).toBe(2);
  });

  it("survives a save() loop (save() from an init handler) without recursing", () => {
    const { run, board } = testBoard();
    run("var saves = 0; E.on('init', function () { saves++; save(); }); save()");
    expect(run("saves")).toBe(4);
    expect(board.snapshot().flash.hasSavedCode).toBe(true);
  });

  it("runs E.setBootCode code at boot; save() then throws, as 2v29 does", () => {
    const { run, board } = testBoard();
    run("E.setBootCode('var fromBoot = 42; E.on(\"init\", function () { fromBoot++; });')");
    expect(board.flash.has(BOOT_CODE_FILE)).toBe(true);
    expect(() => run("save()")).toThrow("boot code");
    board.reset();
    expect(run("fromBoot")).toBe(43);
    run("E.setBootCode('')");
    expect(board.flash.has(BOOT_CODE_FILE)).toBe(false);
  });

  it("reset() forgets the program and does not load saved code; load() brings it back", () => {
    const { run, clock } = testBoard();
    run("var kept = 'yes'; save()");
    run("var kills = 0; E.on('kill', function () { kills++; }); reset()");
    clock.advance(0);
    expect(run("typeof kept")).toBe("undefined");
    run("load()");
    clock.advance(0);
    expect(run("kept")).toBe("yes");
  });

  it("E.reboot() runs kill handlers, resets the chip at once and boots from flash", () => {
    const { run, board, clock } = testBoard();
    run("require('Storage').write('kill', 'no'); E.on('kill', function () { require('Storage').write('kill', 'yes'); })");
    run("pinMode(B15, 'output'); digitalWrite(B15, 1); setTimeout(function () { E.reboot(); digitalWrite(B14, 1); }, 10)");
    clock.advance(20);
    expect(board.snapshot().resets.at(-1)?.cause).toBe("software");
    expect(board.snapshot().pins.B15.mode).toBe("analog");
    expect(board.snapshot().pins.B14.mode).toBe("analog");
    expect(run("require('Storage').read('kill')")).toBe("yes");
  });

  it("flashBundle stores code as boot code, as make flash does; it runs at the next boot and other files stay", () => {
    const { board, clock, run } = testBoard({ powerOn: false });
    board.flash.write(".varimg", new Uint8Array(Buffer.from('["global.old = 1"]')));
    board.flash.write("gcfg", new Uint8Array([1, 2, 3]));
    board.flashBundle("(function () { var started = 0; E.on('init', function () { started++; global.started = started; }); })();");
    board.powerOn();
    clock.advance(1);
    expect(run("started")).toBe(1);
    expect(run("typeof old")).toBe("undefined");
    expect(board.snapshot().flash).toMatchObject({ hasSavedCode: false, hasBootCode: true });
    expect(board.flash.read("gcfg")).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("exposes coil, contact and path events with exact board times", () => {
    const { run, clock, events, board } = testBoard({ relayTiming: { operateMs: 10, releaseMs: 5, bounceMs: 0 } });
    clock.advance(100);
    // Both coils in one write: one board instant, the last pin of the array (bit 0) first, as Espruino writes them.
    run("pinMode(B15, 'output'); pinMode(B14, 'output'); digitalWrite([B14, B15], 3)");
    clock.advance(20);
    run("digitalWrite(B14, 0)");
    clock.advance(20);
    const interesting = events.filter((event) => event.type === "coil" || event.type === "path" || (event.type === "contact" && event.contact === "main"));
    // The writes happen when the interpreter reaches them; the relays follow them exactly.
    const onMs = interesting[0].atMs;
    const offMs = interesting[5].atMs;
    expect(onMs).toBeGreaterThanOrEqual(100);
    expect(offMs).toBeGreaterThanOrEqual(onMs + 20);
    expect(interesting).toEqual([
      { type: "coil", atMs: onMs, relay: 1, energised: true },
      { type: "coil", atMs: onMs, relay: 0, energised: true },
      { type: "contact", atMs: onMs + 10, relay: 1, contact: "main", closed: true },
      { type: "contact", atMs: onMs + 10, relay: 0, contact: "main", closed: true },
      { type: "path", atMs: onMs + 10, path: 0, name: "net0", conducting: true },
      { type: "coil", atMs: offMs, relay: 1, energised: false },
      { type: "contact", atMs: offMs + 5, relay: 1, contact: "main", closed: false },
      { type: "path", atMs: offMs + 5, path: 0, name: "net0", conducting: false },
    ]);
    expect(board.snapshot().relays[0].feedbackLevel).toBe(0);
    expect(board.snapshot().relays[1].feedbackLevel).toBe(1);
  });

  it("drives inputs through the profile's wiring", () => {
    const { run, board } = testBoard();
    run("pinMode(B4, 'input_pullup'); pinMode(A0, 'input_pulldown')");
    expect(run("[digitalRead(B4), digitalRead(A0)].join()")).toBe("0,0");
    board.press("estop", true);
    board.press("arm", true);
    expect(run("[digitalRead(B4), digitalRead(A0)].join()")).toBe("1,1");
    expect(board.snapshot().inputs.estop).toEqual({ active: true, level: 1 });
  });

  it("estimates memory in variable blocks from the profile's total", () => {
    const { run, board } = testBoard();
    const before = run("process.memory()") as { free: number; usage: number; total: number };
    expect(before.total).toBe(5100);
    expect(before.free + before.usage).toBe(5100);
    run("var big = []; for (var i = 0; i < 500; i++) big.push('entry number ' + i);");
    const after = run("process.memory().usage") as number;
    expect(after - before.usage).toBeGreaterThan(1000);
    expect(Math.abs(board.snapshot().memory.usage - after)).toBeLessThan(5);
  });

  it("gives an identical run for the same seed", () => {
    const trace = (seed: number) => {
      const { run, clock, board, events } = testBoard({ seed, relayTiming: { bounceMs: 3, bounceCountMax: 4 } });
      run("var r = []; for (var i = 0; i < 4; i++) r.push(E.hwRand()); pinMode(B15, 'output'); setInterval(function () { digitalWrite(B15, !digitalRead(B15)); }, 50)");
      board.inject({ kind: "link-errors", device: "Serial1", bitFlipProbability: 0.3 });
      run("Serial1.setup(115200); var got = ''; Serial1.on('data', function (d) { got += d; })");
      board.serialInput("Serial1", "x".repeat(50));
      clock.advance(1000);
      return JSON.stringify([run("r.join() + got"), events]);
    };
    expect(trace(11)).toBe(trace(11));
    expect(trace(11)).not.toBe(trace(12));
  });
});
