/**
 * The shape of a bench scenario and what it is handed. A scenario drives the controller and
 * injects faults; it asserts what it specifically expects with check(). General safety
 * properties are judged afterwards by the checkers (bench/checkers/), which never inject.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import type { Rng } from "../../simulator/rng.ts";
import type { Session } from "../harness/session.ts";
import type { Capability, Target } from "../targets/target.ts";

export interface Scenario {
  /** Stable kebab-case name: the JUnit test name and the seed derivation key. */
  id: string;
  /** One line saying what is verified. */
  title: string;
  /** Safety requirements verified (docs/requirements.md), e.g. ["SR-4"]. */
  requirements: string[];
  /**
   * Capabilities the target must offer beyond the contract (bench/targets/target.ts,
   * Capability): list every one the scenario uses; the runner skips it elsewhere, saying which
   * are missing. `config` and `unprovisioned` add "provisioning" by themselves.
   */
  needs?: Capability[];
  /** Changes to the bench configuration the controller is provisioned with. */
  config?: Partial<ControllerConfig>;
  /** Start with no configuration file (needs "provisioning": simulated board only). */
  unprovisioned?: boolean;
  run(context: ScenarioContext): Promise<void>;
}

/** A measured duration, e.g. a trip latency, with what it was measured from and to. */
export interface Measurement {
  name: string;
  valueMs: number;
}

export interface ScenarioContext {
  target: Target;
  session: Session;
  /** Seeded for this scenario: derived from the run seed and the scenario id. */
  rng: Rng;
  /** Fails the scenario with `message` (which must say what was expected and what was seen) unless `condition`. */
  check(condition: boolean, message: string): void;
  /** Records a duration for the report (trip latencies, reaction times). */
  measure(name: string, valueMs: number): void;
  note(text: string): void;
}

/** A failed check(); the runner reports its message. */
export class CheckFailure extends Error {}
