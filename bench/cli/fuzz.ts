/** `guillotine bench fuzz`: the protocol fuzzer (bench/fuzz/) against the simulated board. */
import { writeFileSync } from "node:fs";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { fuzz, type FuzzResult } from "../fuzz/fuzzer.ts";
import { bundlePathFor } from "../targets/sim-target.ts";
import { countOption, seedOption } from "./arguments.ts";

export const summary = "fuzz both links with random and mutated frames (virtual time, seeded)";

export const help = `usage: guillotine bench fuzz [--seed N] [--frames M] [--delivery burst|paced] [--json FILE]

Sends M random and mutated frames (default 1,000,000) into the host and ops links of the
simulated board running dist/firmware-<BOARD>.js, in epochs of 100: each epoch restores the
controller with a genuine quorum, keeps valid heartbeats flowing, fuzzes, goes silent, and is
judged by the bench's checkers. Mutations of valid HB, CHAL, AUTH and LOG frames: bit flips,
truncation, duplication, field swaps, huge numbers, control bytes, and more. Afterwards a
valid heartbeat must still be accepted. The seed is printed first; the same --seed and
--frames replay the same run.

  --seed N             run seed (default: random, printed)
  --frames M           frames to send (default 1000000)
  --board ID           board profile (default PICO)
  --delivery burst     (default) each frame reaches the firmware whole at its arrival time,
                       as a busy interpreter's idle loop finds it; fast
  --delivery paced     byte by byte at 115200 baud; about five times slower
  --json FILE          the full result as JSON ("-" for stdout instead of the summary)
exit codes: 0 nothing found, 1 findings (listed), 2 usage`;

const OPTIONS = {
  seed: { type: "string" },
  frames: { type: "string" },
  board: { type: "string", default: "PICO" },
  delivery: { type: "string", default: "burst" },
  json: { type: "string" },
} as const;

function top(map: Record<string, number>, count: number): string {
  return Object.entries(map).sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, value]) => `${key} ${value}`).join(", ");
}

export function fuzzSummary(result: FuzzResult): string {
  const lines = [
    `fuzz seed=${result.seed}: ${result.frames} frames in ${result.epochs} epochs, ${result.wallSeconds.toFixed(1)} s wall, ${result.virtualHours.toFixed(2)} h virtual (${result.delivery} delivery)`,
    `  tried mutations: ${top(result.tried.mutations, 20)}`,
    `  base frames: ${top(result.tried.bases, 10)}; links: ${top(result.tried.links, 2)}`,
    `  replies: ${top(result.tried.replies, 14)}`,
    `  levels reached: ${top(result.tried.levelsSeen, 12)}`,
    `  after the run a valid heartbeat was ${result.finalHeartbeatAccepted ? "accepted" : "NOT accepted"}`,
    result.findings.length === 0 ? "  findings: none" : `  findings (${result.findings.length} kind${result.findings.length === 1 ? "" : "s"}):`,
  ];
  for (const finding of result.findings) {
    lines.push(`    ${finding.kind}: ${finding.count} times; first: epoch ${finding.examples[0].epoch}: ${finding.examples[0].message}`);
    for (const frame of finding.examples[0].lastFrames) lines.push(`      sent ${frame}`);
  }
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const seed = seedOption(values.seed);
  const frames = countOption("frames", values.frames, 1_000_000, 1e9);
  if (values.delivery !== "burst" && values.delivery !== "paced") throw new CommandError(EXIT_USAGE, `--delivery must be burst or paced, got ${values.delivery}`);
  let bundlePath: string;
  try {
    bundlePath = bundlePathFor(values.board);
  } catch (error) {
    throw new CommandError(EXIT_USAGE, (error as Error).message);
  }
  console.error(`bench fuzz seed=${seed} frames=${frames} board=${values.board} delivery=${values.delivery}`);
  const result = await fuzz({ boardId: values.board, bundlePath, seed, frames, delivery: values.delivery, log: (line) => console.error(line) });
  const json = JSON.stringify(result, null, 2) + "\n";
  if (values.json !== undefined && values.json !== "-") writeFileSync(values.json, json);
  if (values.json === "-") process.stdout.write(json);
  else console.log(fuzzSummary(result));
  return result.findings.length === 0 && result.finalHeartbeatAccepted ? EXIT_OK : EXIT_FAILED;
}
