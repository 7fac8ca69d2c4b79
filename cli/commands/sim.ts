/** `guillotine sim ...`: the simulator's command, with the bench's `--pair` handed in. */
import { servePair } from "../../bench/cli/sim-pair.ts";
import * as simulator from "../../simulator/io/sim-command.ts";

export const summary = simulator.summary;
export const help = simulator.help;

export function run(argv: string[]): Promise<number> {
  return simulator.run(argv, servePair);
}
