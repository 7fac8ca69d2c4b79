/**
 * `guillotine sim --pair`: a hardware-in-the-loop bench without hardware (docs/bench.md): the
 * board under test, provisioned with the bench's configuration, and the bench probe on a
 * second simulated Pico, wired as hardware/probe.md wires them. The options are checked by
 * the simulator's command (simulator/io/sim-command.ts), which hands them here.
 */
import { EXIT_FAILED } from "../../kit/command/exit-codes.ts";
import { startBenchPair, type BenchPairEndpoints } from "../../simulator/bench-pair.ts";
import { runUntilSignal, type PairOptions } from "../../simulator/io/sim-command.ts";
import { Rng } from "../../simulator/rng.ts";
import { benchPairConfig } from "../harness/config.ts";
import { bundlePathFor } from "../targets/sim-target.ts";

export async function servePair(options: PairOptions): Promise<number> {
  let pair;
  try {
    const loadFile = options.loadFile ?? bundlePathFor(options.boardId);
    const seed = options.seed ?? Rng.randomSeed();
    pair = await startBenchPair({ ...options, seed, bundlePath: loadFile, config: benchPairConfig(seed, options.boardId), onDiagnostic: (text) => console.error(`sim: ${text}`) });
  } catch (error) {
    console.error(`guillotine sim: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  console.log(options.json ? JSON.stringify(pair.endpoints) : pairText(pair.endpoints));
  return runUntilSignal(pair, options.json);
}

function pairText(endpoints: BenchPairEndpoints): string {
  return [
    `Bench pair running (board ${endpoints.board}, seed ${endpoints.seed}, probe clock ${endpoints.driftPpm} ppm, pid ${endpoints.pid}).`,
    `  controller console      ${endpoints.dut.console}   (pty ${endpoints.dut.consolePty})`,
    `  controller host link    ${endpoints.dut.host}`,
    `  controller ops link     ${endpoints.dut.ops}`,
    `  controller control      ${endpoints.dut.control}`,
    `  probe USB (console)     ${endpoints.probe.consolePty}   (tcp ${endpoints.probe.console})`,
    `  probe control           ${endpoints.probe.control}`,
    `  configuration           ${endpoints.config}`,
    `The controller is unpowered until the probe firmware switches K9. Run the bench with:`,
    `  ${endpoints.bench}`,
    "Stop with Ctrl-C.",
  ].join("\n");
}
