/**
 * The bench probe board: a second Espruino Pico that watches the controller's paths from the
 * outside, through optocouplers, and drives its e-stop and tamper loops. Hardware-in-the-loop
 * tests (bench/) read these names; the wiring is hardware/wiring/probe.svg and hardware/probe.md.
 */
export const PROBE = {
  /** Board profile the probe runs on (its own pins below, not the controller's). */
  board: "PICO",
  /**
   * One input per controller path, in profile order (net0, power0, decap, immol). Pull-up;
   * reads low while the path conducts, because the bench 24 V then lights its optocoupler.
   */
  pathSensePins: ["A0", "A1", "A5", "A6"],
  /**
   * One input per controller relay coil, in relay order (path p, relay r is 2p + r: net0's
   * two, then power0's, decap's, immol's). Pull-up; reads low while the controller drives that
   * coil, because the coil's own 24 V then lights a tap optocoupler wired across it
   * (hardware/probe.md, "Tapping the coils"). Pin numbers differ from each other and from the
   * sense pins', so all twelve can be watched (STM32: one interrupt line per pin number).
   */
  coilTapPins: ["B3", "B4", "A7", "A8", "B9", "A10", "B12", "A15"],
  /**
   * Output; high lights the optocoupler that closes the controller's e-stop loop (healthy),
   * low opens it (e-stop pressed). A dead or unpowered probe therefore reads as "pressed".
   */
  estopPin: "B13",
  /** Output; as estopPin, for the tamper loop. */
  tamperPin: "B14",
  /** Output; high energises the bench relay that feeds the controller's supply (power-loss tests). */
  supplyPin: "B15",
  /**
   * Outputs; each lights the photorelays of one bench fault switch (hardware/probe.md, "Fault
   * switches"), making the relay fault named, as the simulator's fault of the same kind does
   * (simulator/faults.ts); low (and a dead probe) leaves the controller's relays as they are.
   * Relays as in coilTapPins: K1 is relay 0 (net0's first), K3 relay 2 (power0's first), K4
   * relay 3 (power0's second).
   */
  faultSwitches: [
    { name: "weld-K1", pin: "B5", fault: { kind: "relay-welded", relay: 0 } },
    { name: "weld-K3", pin: "B6", fault: { kind: "relay-welded", relay: 2 } },
    { name: "coil-open-K4", pin: "B7", fault: { kind: "coil-open", relay: 3 } },
    { name: "feedback-released-K1", pin: "B8", fault: { kind: "feedback-stuck", relay: 0, level: 1 } },
  ],
} as const;

/** A relay fault one of the probe's fault switches makes. */
export type FaultSwitch = (typeof PROBE.faultSwitches)[number];
export type FaultSwitchName = FaultSwitch["name"];
