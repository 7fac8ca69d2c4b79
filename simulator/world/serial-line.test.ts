import { describe, expect, it } from "vitest";
import { VirtualClock } from "../clock.ts";
import { Rng } from "../rng.ts";
import { SerialLine, byteTimeMs } from "./serial-line.ts";

function line(baud: number | undefined) {
  const clock = new VirtualClock();
  const arrivals: { atMs: number; data: string }[] = [];
  const wire = new SerialLine({ clock, rng: new Rng(1), baud, deliver: (data) => arrivals.push({ atMs: clock.nowMs(), data }) });
  return { clock, wire, arrivals };
}

describe("SerialLine", () => {
  it("takes 86.8 µs per byte at 115200 baud 8N1", () => {
    expect(byteTimeMs(115200)).toBeCloseTo(0.0868, 4);
    const { clock, wire, arrivals } = line(115200);
    wire.send("0123456789");
    clock.advance(10 * byteTimeMs(115200) - 0.001);
    expect(arrivals.length).toBe(9);
    clock.advance(0.001);
    expect(arrivals.map((arrival) => arrival.data).join("")).toBe("0123456789");
    expect(arrivals.at(-1)!.atMs).toBeCloseTo(10 * 0.0868, 3);
  });

  it("queues bytes behind those in flight", () => {
    const { clock, wire, arrivals } = line(9600);
    wire.send("ab");
    clock.advance(byteTimeMs(9600) / 2);
    wire.send("c");
    clock.advance(10);
    expect(arrivals.at(-1)!.atMs).toBeCloseTo(3 * byteTimeMs(9600), 6);
  });

  it("delivers unpaced lines at the same instant, in order, but not synchronously", () => {
    const { clock, wire, arrivals } = line(undefined);
    wire.send("usb");
    expect(arrivals).toEqual([]);
    clock.advance(0);
    expect(arrivals).toEqual([{ atMs: 0, data: "usb" }]);
  });

  it("loses what is in flight when unplugged and carries nothing until plugged in", () => {
    const { clock, wire, arrivals } = line(115200);
    wire.send("lost");
    wire.unplug();
    wire.send("also lost");
    clock.advance(10);
    wire.plugIn();
    wire.send("ok");
    clock.advance(10);
    expect(arrivals.map((arrival) => arrival.data).join("")).toBe("ok");
  });

  it("drops and flips bytes with the configured probabilities, seeded", () => {
    const run = () => {
      const { clock, wire, arrivals } = line(115200);
      wire.setErrors({ bitFlipProbability: 0.2, dropProbability: 0.2 });
      wire.send("A".repeat(1000));
      clock.advance(1000);
      return arrivals.map((arrival) => arrival.data).join("");
    };
    const received = run();
    expect(received).toBe(run());
    expect(received.length).toBeLessThan(900);
    expect(received.length).toBeGreaterThan(700);
    const flipped = [...received].filter((char) => char !== "A").length;
    expect(flipped).toBeGreaterThan(100);
    expect(flipped).toBeLessThan(250);
  });
});
