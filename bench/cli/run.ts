/**
 * `guillotine bench run`: the safety scenarios against the simulated board (virtual time) or a
 * real board with the probe, with JUnit, JSON and Markdown/HTML reports.
 */
import { writeFileSync } from "node:fs";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { toJUnit } from "../report/junit.ts";
import { writeRunReport } from "../report/run-report.ts";
import { counts, type RunReport, type ScenarioResult } from "../runner/results.ts";
import { runScenarios, type RunOptions } from "../runner/run-scenarios.ts";
import { selectScenarios } from "../scenarios/index.ts";
import type { Scenario } from "../scenarios/scenario.ts";
import { openSimTarget } from "../targets/open-sim.ts";
import { bundlePathFor } from "../targets/sim-target.ts";
import { openSerialTargets, probeClockOf, requireSerialOptions, SERIAL_OPTIONS_HELP, type SerialOptions } from "../targets/open-serial.ts";
import { seedOption } from "./arguments.ts";

export const summary = "run the safety scenarios (simulated board, or a real one with the probe)";

export const help = `usage: guillotine bench run [--target sim|serial] [--seed N] [--scenario ID ...]
                          [--junit FILE] [--json FILE] [--report FILE.md|FILE.html] [--quiet]

Plays every scenario of bench/scenarios/ (docs/requirements.md says which requirement each
verifies) and judges each recording with the checkers of bench/checkers/. Progress goes to
stderr; the summary to stdout. The seed is printed first: --seed N replays a run exactly.

  --target sim       (default) the simulated board on virtual time, running
                     dist/firmware-<BOARD>.js (\`make build-all\` first); fast and deterministic
  --target serial    a real board: needs --host, --ops, --probe and --config (below);
                     runs the scenarios a real bench supports, skips the rest
  --board ID         board profile (default PICO)
  --seed N           run seed (default: random, printed)
  --scenario TEXT    only scenarios whose id contains TEXT (repeatable)
  --junit FILE       JUnit XML for CI
  --json FILE        results as JSON (FILE "-" prints them to stdout instead of the summary)
  --report FILE      Markdown (.md, plots as SVG files beside it) or HTML (.html, plots inline)
  --quiet            no progress lines
${SERIAL_OPTIONS_HELP}
exit codes: 0 every scenario passed (or was skipped), 1 a scenario failed, 2 usage,
            3 bad --config or key file, 4 a port could not be opened`;

const OPTIONS = {
  target: { type: "string", default: "sim" },
  board: { type: "string", default: "PICO" },
  seed: { type: "string" },
  scenario: { type: "string", multiple: true, default: [] as string[] },
  junit: { type: "string" },
  json: { type: "string" },
  report: { type: "string" },
  quiet: { type: "boolean", default: false },
  host: { type: "string" },
  ops: { type: "string" },
  probe: { type: "string" },
  config: { type: "string" },
  "host-key": { type: "string" },
  "operator-key": { type: "string", multiple: true, default: [] as string[] },
  baud: { type: "string", default: "115200" },
  "link-allowance-ms": { type: "string" },
} as const;

function progressLine(index: number, total: number, scenario: Scenario, result?: ScenarioResult): string {
  const head = `[${String(index + 1).padStart(2)}/${total}] ${scenario.id}`;
  if (result === undefined) return `${head} ...`;
  const tail = result.status === "fail" ? `\n      ${result.failures.join("\n      ")}` : result.status === "skip" ? ` (${result.skipReason})` : "";
  return `${head}: ${result.status.toUpperCase()} in ${(result.wallMs / 1000).toFixed(2)} s, ${(result.targetMs / 1000).toFixed(1)} s target time${tail}`;
}

function summaryText(report: RunReport): string {
  const tally = counts(report);
  const failed = report.results.filter((r) => r.status === "fail").map((r) => `  FAIL ${r.id} (${r.requirements.join(", ")}): ${r.failures[0]}`);
  const clock = report.probeClock === undefined ? [] : [`  probe clock: offset ${report.probeClock.offsetMs.toFixed(3)} ms +- ${report.probeClock.uncertaintyMs.toFixed(3)} ms, drift ${report.probeClock.driftPpm.toFixed(1)} ppm over ${report.probeClock.correlations} correlations`];
  return [`bench ${report.target}: ${tally.pass} passed, ${tally.fail} failed, ${tally.skip} skipped in ${(report.wallMs / 1000).toFixed(2)} s (seed ${report.seed})`, ...clock, ...failed].join("\n");
}

function writeOutputs(report: RunReport, values: { junit?: string; json?: string; report?: string }): void {
  if (values.junit !== undefined) writeFileSync(values.junit, toJUnit(report));
  const json = JSON.stringify(report, null, 2) + "\n";
  if (values.json !== undefined && values.json !== "-") writeFileSync(values.json, json);
  if (values.report !== undefined) writeRunReport(report, values.report);
  if (values.json === "-") process.stdout.write(json);
  else console.log(summaryText(report));
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  if (values.report !== undefined && !/\.(md|html)$/.test(values.report)) throw new CommandError(EXIT_USAGE, `--report ${values.report}: name a .md or .html file`);
  if (values.target !== "sim" && values.target !== "serial") throw new CommandError(EXIT_USAGE, `--target must be sim or serial, got ${values.target}`);
  if (values.target === "serial") requireSerialOptions(values as SerialOptions);
  const seed = seedOption(values.seed);
  const scenarios = (() => {
    try {
      return selectScenarios(values.scenario);
    } catch (error) {
      throw new CommandError(EXIT_USAGE, (error as Error).message);
    }
  })();
  console.error(`bench seed=${seed} target=${values.target} board=${values.board} scenarios=${scenarios.length}`);
  const options: Omit<RunOptions, "open"> = {
    seed, board: values.board, targetKind: values.target === "serial" ? "serial" : "sim",
    progress: values.quiet ? undefined : (index, total, scenario, result) => result !== undefined && console.error(progressLine(index, total, scenario, result)),
  };
  let report: RunReport;
  if (values.target === "sim") {
    let bundle: string;
    try {
      bundle = bundlePathFor(values.board);
    } catch (error) {
      throw new CommandError(EXIT_USAGE, (error as Error).message);
    }
    report = await runScenarios(scenarios, { ...options, open: openSimTarget(values.board, bundle) });
  } else {
    const serial = await openSerialTargets(values as SerialOptions);
    try {
      report = await runScenarios(scenarios, { ...options, open: serial.open });
      report.probeClock = probeClockOf(serial.bench);
    } finally {
      await serial.close();
    }
  }
  writeOutputs(report, values);
  return counts(report).fail > 0 ? EXIT_FAILED : EXIT_OK;
}
