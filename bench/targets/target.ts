/**
 * The board under test, as scenarios see it: links, time, inputs and what can be observed
 * from outside. Like serialport's bindings-interface this file is contract only; the simulated
 * board (sim-target.ts) and a real board with a probe (serial-target.ts) implement it, and one
 * set of scenarios runs on both, each declaring the capabilities it needs.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import type { Fault } from "../../simulator/faults.ts";
import type { BoardSnapshot } from "../../simulator/simulated-board.ts";
import type { LinkName, Timeline } from "../harness/timeline.ts";

/**
 * What a target can do beyond the contract every target keeps (links, time, paths as observed).
 * A scenario lists what it needs in `needs`; the runner skips it on a target without one of
 * them and prints the capability's meaning (CAPABILITY_MEANING) as the reason. A new scenario
 * declares every capability below that it uses; a new capability goes here, into
 * CAPABILITY_MEANING, and into the capability set of each target that has it.
 */
export type Capability =
  /** Time is virtual and exact: timing assertions may demand equality. */
  | "virtual-time"
  /**
   * Relay coils are observable, not only the paths: their current on the simulated board,
   * their drive through the probe's coil taps on a real bench.
   */
  | "coils"
  /** Any simulator/faults.ts fault can be injected. */
  | "faults"
  /**
   * The relay faults the bench's fault switches make (hardware/probe.md, PROBE.faultSwitches):
   * K1 or K3 welded, K4's coil open, K1's feedback stuck at released. Every target with
   * "faults" has these too; a scenario needing only these declares "relay-faults".
   */
  | "relay-faults"
  /** Internals can be read: console device, pins, flash, uncaught errors. */
  | "internals"
  /** Bytes can be placed straight into the UART receive buffer, as if the idle loop had been busy. */
  | "burst"
  /** The controller's supply can be switched (simulated, or the probe's K9 relay). */
  | "power"
  /**
   * Each scenario gets a controller provisioned for it alone: with its own configuration
   * (Scenario.config) or none (Scenario.unprovisioned). The runner adds this need itself.
   */
  | "provisioning"
  /** The inputs the target can drive. The arm key needs a person on a real bench. */
  | "estop"
  | "tamper"
  | "arm";

/** What each capability means, in the words a skipped scenario's reason uses. */
export const CAPABILITY_MEANING: Record<Capability, string> = {
  "virtual-time": "exact virtual time",
  coils: "a view of the relay coils",
  faults: "simulator fault injection (a hung interpreter, torn flash writes, memory pressure, error flags, corrupted flash: nothing a bench can cause on demand)",
  "relay-faults": "the bench's relay fault switches (K1 or K3 welded, K4's coil open, K1's feedback stuck: hardware/probe.md)",
  internals: "the controller's internals (pins, flash, console device)",
  burst: "placing bytes straight into the controller's receive buffer",
  power: "switching the controller's supply",
  provisioning: "a controller provisioned for this scenario alone (its own configuration, or none)",
  estop: "driving the e-stop loop",
  tamper: "driving the tamper loop",
  arm: "turning the arm key (a person's job on a real bench: hardware/probe.md)",
};

export type InputName = "estop" | "tamper" | "arm";

/** What send() knows about when the bytes reach the controller. */
export interface Sent {
  atMs: number;
  /** When the last byte finishes crossing the line; undefined when the target cannot know. */
  arrivesAtMs: number | undefined;
}

export interface Target {
  readonly kind: "sim" | "serial";
  readonly capabilities: ReadonlySet<Capability>;
  /** The configuration the controller holds (keys included: the bench signs with them). */
  readonly config: ControllerConfig;
  /** The board's hardware watchdog timeout (what the firmware enables). */
  readonly watchdogMs: number;
  /**
   * How much later than the bench's send time a frame may reach the controller, and a supply
   * cut take effect: 0 where time is exact (the simulated board); on a serial target the
   * allowance for wire time, USB latency and the probe's relay (REAL_LINK_LATENCY_ALLOWANCE_MS
   * unless --link-allowance-ms says otherwise). Scenarios and checkers add it to their timing limits.
   */
  readonly linkAllowanceMs: number;
  /**
   * How much later than a frame's arrival or a deadline the board's own CPU may act: 0 where
   * the board takes no time of its own; on the simulated board under the CPU-time model
   * (docs/simulator.md), what its firmware's work takes there: a heartbeat being handled when
   * the frame arrived or the deadline passed, the frame's own handling and a control cycle on
   * either side (three heartbeats and two cycles of the board's figures). Added to timing limits
   * with linkAllowanceMs.
   */
  readonly cpuAllowanceMs: number;
  /** Path kinds in profile order ("network", "power", "decapitation", "immolation"). */
  readonly pathKinds: readonly string[];
  /** The MCU pin driving each relay's coil (relay 2p + r), from the board profile. */
  readonly coilPins: readonly string[];
  /** Everything sent, received and observed, in target time. */
  readonly timeline: Timeline;
  /** Milliseconds on the target's clock. */
  nowMs(): number;
  /** Lets `ms` pass (virtual time advances; a real bench sleeps). */
  wait(ms: number): Promise<void>;
  /** Lets time pass until `predicate` holds, at most `maxMs`; returns whether it held. */
  waitUntil(predicate: () => boolean, maxMs: number): Promise<boolean>;
  /** Runs `fn` every `periodMs` of target time until the returned function is called. */
  every(periodMs: number, fn: () => void): () => void;
  /** Puts bytes on a link (a binary string: one char per byte). */
  send(link: LinkName, data: string): Sent;
  /**
   * Places bytes straight into the controller's receive buffer, so they reach the firmware as
   * one chunk (needs "burst"): what a busy interpreter sees after a burst on the wire.
   */
  burst(link: LinkName, data: string): Sent;
  /** Registers a handler for each line the controller sends. */
  onLine(handler: (link: LinkName, text: string, atMs: number) => void): void;
  /** Whether each path conducts now, in profile order (as observed: world model or probe). */
  paths(): boolean[];
  /** Drives an input (needs the matching capability). */
  press(input: InputName, active: boolean): Promise<void>;
  /** Switches the controller's supply (needs "power"). */
  power(on: boolean): Promise<void>;
  /**
   * Injects a fault (needs "faults"; a relay fault of PROBE.faultSwitches needs "relay-faults"),
   * in effect when the promise resolves (at once on the simulated board).
   */
  inject(fault: Fault): Promise<void>;
  /** Board internals (needs "internals"). */
  snapshot(): BoardSnapshot;
  close(): Promise<void>;
}

/**
 * A serial target's default linkAllowanceMs. A trip is due from when a frame reached the
 * controller, which the bench bounds only by its send time: a frame's wire time (at most 11 ms
 * for 128 bytes at 115200) plus a USB frame or two come on top. An FTDI adapter's latency
 * timer (16 ms by default) or a simulator on a busy machine needs more (--link-allowance-ms).
 */
export const REAL_LINK_LATENCY_ALLOWANCE_MS = 13;

/** The error a scenario gets when it asks a target for something it cannot do. */
export class UnsupportedError extends Error {
  constructor(target: string, what: string) {
    super(`${what} is not available on the ${target} target; declare the capability in the scenario's needs so the runner skips it there`);
  }
}
