/**
 * The Board contract (firmware/board.ts), one suite for every implementation: the fake board
 * of the core's tests and the Espruino board under the simulator run the same cases, so what
 * the core's tests assume of the fake is what the real board layer does.
 *
 * A harness drives one board from outside: it calls the board's members, and plays the world
 * around it (the far ends of the links, the inputs, time, the interpreter's error flags).
 */
import { beforeEach, describe, expect, it } from "vitest";

export type InputName = "estop" | "tamper" | "arm" | "maintenance";
/** INPUT_* bits of core/inputs.ts, by input. */
const INPUT_BITS: Record<InputName, number> = { estop: 1, tamper: 2, arm: 4, maintenance: 8 };

export interface BoardHarness {
  /** Relays the board drives. */
  relays: number;
  /** Longest a relay takes to settle after its coil changes. */
  settleMs: number;
  /** Calls the board's member `name` with `args` (JSON values); its result. */
  call(name: string, ...args: unknown[]): unknown;
  /** Calls the board's storage member `name`. */
  storage(name: "read" | "write", ...args: unknown[]): unknown;
  /** run() with an events object that records each call, as "cycle", "wake" or "receive <link> <data>". */
  run(maintenance: boolean, cycleMs: number, watchdogMs: number): void;
  /** What the events object recorded, taken. */
  takeEvents(): string[];
  /** Coils energised now, as the hardware sees them: bit i = relay i. */
  coils(): number;
  led(): boolean;
  /** Everything the far end of link 0/1 received. */
  linkReceived(link: number): string;
  /** The far end of link 0/1 sends `data`. */
  linkSend(link: number, data: string): void;
  press(input: InputName, active: boolean): void;
  raiseErrorFlag(flag: string): void;
  advance(ms: number): void;
  /** The REPL answers on the programming port. */
  consoleReachable(): boolean;
  /** The watchdog reset the board. */
  watchdogBit(): boolean;
}

export function boardContract(name: string, create: () => Promise<BoardHarness> | BoardHarness): void {
  describe(`Board contract: ${name}`, () => {
    let h: BoardHarness;
    beforeEach(async () => {
      h = await create();
    });
    const all = () => (1 << h.relays) - 1;

    it("setCoils energises exactly the coils of its mask, and 0 releases every one", () => {
      for (const mask of [1, 2, 0b101 & all(), all(), 0]) {
        h.call("setCoils", mask);
        expect(h.coils()).toBe(mask);
      }
    });

    it("readFeedback reads released for each relay whose coil is off, once relays settle", () => {
      h.call("setCoils", 1);
      h.advance(h.settleMs);
      expect(h.call("readFeedback")).toBe(all() & ~1);
      h.call("setCoils", 0);
      h.advance(h.settleMs);
      expect(h.call("readFeedback")).toBe(all());
    });

    it("readInputs gives each input's bit while it is active, whatever the pin's active level", () => {
      for (const input of Object.keys(INPUT_BITS) as InputName[]) {
        h.press(input, true);
        expect(h.call("readInputs")).toBe(INPUT_BITS[input]);
        h.press(input, false);
        expect(h.call("readInputs")).toBe(0);
      }
    });

    it("nowMs follows time and never goes back", () => {
      const before = h.call("nowMs") as number;
      h.advance(100);
      const after = h.call("nowMs") as number;
      expect(after - before).toBeGreaterThanOrEqual(99);
      expect(after - before).toBeLessThan(110);
      expect(h.call("nowMs") as number).toBeGreaterThanOrEqual(after);
    });

    it("setLed lights and darkens the LED", () => {
      h.call("setLed", true);
      expect(h.led()).toBe(true);
      h.call("setLed", false);
      expect(h.led()).toBe(false);
    });

    it("write queues its text on its own link only", () => {
      h.call("write", 0, "to host\n");
      h.call("write", 1, "to ops\n");
      h.advance(10);
      expect(h.linkReceived(0)).toContain("to host\n");
      expect(h.linkReceived(0)).not.toContain("to ops");
      expect(h.linkReceived(1)).toContain("to ops\n");
      expect(h.linkReceived(1)).not.toContain("to host");
    });

    it("storage keeps what it wrote and has nothing for a file never written", () => {
      expect(h.storage("write", "gtest", "some text")).toBe(true);
      expect(h.storage("read", "gtest")).toBe("some text");
      expect(h.storage("read", "gnone")).toBeUndefined();
    });

    it("random gives 32-bit numbers that differ", () => {
      const values = Array.from({ length: 8 }, () => h.call("random") as number);
      for (const value of values) expect(Number.isInteger(value) && Math.abs(value) < 2 ** 32).toBe(true);
      expect(new Set(values).size).toBeGreaterThan(1);
    });

    it("errorFlags reports a raised flag once", () => {
      h.raiseErrorFlag("LOW_MEMORY");
      expect(h.call("errorFlags")).toEqual(["LOW_MEMORY"]);
      expect(h.call("errorFlags")).toEqual([]);
    });

    it("run outside maintenance hides the REPL, delivers link data, and cycles on its timer, on inputs but maintenance, and on error flags", () => {
      h.run(false, 50, 2000);
      expect(h.consoleReachable()).toBe(false);
      h.takeEvents();
      h.linkSend(0, "HB x\n");
      h.linkSend(1, "STATUS\n");
      h.advance(40);
      // Data comes in chunks of any size, the links' interleaved: each link's own arrive whole and in order.
      const received = h.takeEvents().filter((event) => event.startsWith("receive "));
      const on = (link: number) => received.filter((event) => event.startsWith(`receive ${link} `)).map((event) => event.slice(10)).join("");
      expect([on(0), on(1)]).toEqual(["HB x\n", "STATUS\n"]);
      h.advance(100);
      expect(h.takeEvents().filter((event) => event === "cycle").length).toBe(2);
      for (const input of ["estop", "tamper", "arm"] as InputName[]) {
        h.press(input, true);
        h.advance(10);
        expect(h.takeEvents()).toContain("cycle");
        h.press(input, false);
        h.advance(10);
        h.takeEvents();
      }
      h.press("maintenance", true);
      h.advance(10);
      expect(h.takeEvents()).toEqual([]);
      h.raiseErrorFlag("LOW_MEMORY");
      h.advance(1);
      expect(h.takeEvents()).toContain("cycle");
    });

    it("run in maintenance leaves the REPL on the programming port", () => {
      h.run(true, 50, 2000);
      expect(h.consoleReachable()).toBe(true);
    });

    it("run arms a watchdog that a kick postpones and that bites without one", () => {
      h.run(false, 1000, 2000);
      for (let i = 0; i < 5; i++) {
        h.advance(1000);
        h.call("kickWatchdog");
      }
      expect(h.watchdogBit()).toBe(false);
      h.advance(2500);
      expect(h.watchdogBit()).toBe(true);
    });

    it("wakeIn wakes once after its time, and a later wakeIn replaces the one before", () => {
      h.run(false, 10_000, 20_000);
      h.takeEvents();
      h.call("wakeIn", 30);
      h.advance(25);
      expect(h.takeEvents()).toEqual([]);
      h.advance(10);
      expect(h.takeEvents()).toEqual(["wake"]);
      h.call("wakeIn", 50);
      h.call("wakeIn", 20);
      h.advance(100);
      expect(h.takeEvents()).toEqual(["wake"]);
    });
  });
}
