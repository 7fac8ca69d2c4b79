/** `guillotine bench all`: every benchmark, written to bench/results/latest.json (and .md). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { BENCHMARK_NAMES, FULL_SIZES, runAll, SMOKE_SIZES, type BenchmarkName } from "../benchmarks/all.ts";
import { figureLines, writeBenchReport } from "../report/bench-report.ts";
import { bundlePathFor } from "../targets/sim-target.ts";
import { countOption, seedOption } from "./arguments.ts";

export const summary = "run every benchmark; write bench/results/latest.json";

export const help = `usage: guillotine bench all [--seed N] [--only NAME ...] [--quick] [--out FILE] [--report FILE.md]

Runs the benchmarks and writes their figures, each with its trials count and the machine
(os, cpu model, cores, node version), to bench/results/latest.json and a Markdown summary with
the trip-latency histograms to bench/results/latest.md:
  footprint                    bytes of each dist/firmware-<BOARD>.js
  heartbeat_rate               highest sustained heartbeat rate vs the 115200-baud line limit
  soak                         1,000,000 heartbeats in virtual time: false trips, memory
  trip_latency_ms              real-time simulator over ptys: deadline to coil off / contact open
  end_to_end_ms                \`guillotine agent run\` killed: time until the paths open
  agent_cpu_us_per_heartbeat   the attester's CPU time per heartbeat
Needs dist/ (make build-all) and socat. Takes about five minutes.

  --seed N          seed (default random, printed)
  --only NAME       only this benchmark (repeatable)
  --quick           tiny trial counts (what make test runs); figures are not meaningful
  --trips N         trip_latency_ms trips (default ${FULL_SIZES.trips})
  --heartbeats N    soak heartbeats (default ${FULL_SIZES.soakHeartbeats})
  --board ID        board profile (default PICO)
  --out FILE        results JSON (default bench/results/latest.json; "-" prints it)
  --report FILE     Markdown summary (default bench/results/latest.md)
exit codes: 0 every benchmark ran, 1 one failed (its error is in the results), 2 usage`;

const OPTIONS = {
  seed: { type: "string" },
  only: { type: "string", multiple: true, default: [] as string[] },
  quick: { type: "boolean", default: false },
  trips: { type: "string" },
  heartbeats: { type: "string" },
  board: { type: "string", default: "PICO" },
  out: { type: "string", default: "bench/results/latest.json" },
  report: { type: "string", default: "bench/results/latest.md" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const unknown = values.only.filter((name) => !(BENCHMARK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new CommandError(EXIT_USAGE, `--only ${unknown.join(", ")}: unknown; one of ${BENCHMARK_NAMES.join(", ")}`);
  const seed = seedOption(values.seed);
  const base = values.quick ? SMOKE_SIZES : FULL_SIZES;
  const sizes = { ...base, trips: countOption("trips", values.trips, base.trips), soakHeartbeats: countOption("heartbeats", values.heartbeats, base.soakHeartbeats) };
  let bundlePath: string;
  try {
    bundlePath = bundlePathFor(values.board);
  } catch (error) {
    throw new CommandError(EXIT_USAGE, (error as Error).message);
  }
  console.error(`bench all seed=${seed} board=${values.board}${values.quick ? " (quick: tiny trial counts)" : ""}`);
  const results = await runAll({ boardId: values.board, bundlePath, seed, sizes, only: values.only as BenchmarkName[], log: (line) => console.error(line) });
  const json = JSON.stringify(results, null, 2) + "\n";
  if (values.out === "-") process.stdout.write(json);
  else {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, json);
    mkdirSync(dirname(values.report), { recursive: true });
    writeBenchReport(results, values.report);
    console.log([...figureLines(results), `written: ${values.out}, ${values.report}`].join("\n"));
  }
  return Object.values(results.figures).some((figure) => "error" in figure) ? EXIT_FAILED : EXIT_OK;
}
