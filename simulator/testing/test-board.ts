/**
 * Test helper: a simulated board on virtual time with a quiet seed line, plus `run(code)`
 * that evaluates REPL code and throws the Espruino error text on failure, and a capture of
 * everything each device sent. For the simulator's own tests; the lead's firmware tests use
 * createSimulation directly.
 */
import { createSimulation, type SimulationOptions, type Simulation } from "../simulation.ts";
import type { WorldEvent } from "../world/events.ts";

export interface TestBoard extends Simulation {
  run(code: string): unknown;
  /** Everything `device` has sent so far, as one binary string. */
  sent(device: string): string;
  events: WorldEvent[];
}

export function testBoard(options: Partial<SimulationOptions> = {}): TestBoard {
  const simulation = createSimulation({ boardId: "PICO", seed: 1, log: () => {}, ...options });
  const output = new Map<string, string>();
  const events: WorldEvent[] = [];
  simulation.board.onSerialOutput((device, data) => output.set(device, (output.get(device) ?? "") + data));
  simulation.board.onWorldEvent((event) => events.push(event));
  return {
    ...simulation,
    events,
    run(code) {
      const result = simulation.board.evaluate(code);
      if (!result.ok) throw new Error(result.text);
      return result.value;
    },
    sent: (device) => output.get(device) ?? "",
  };
}
