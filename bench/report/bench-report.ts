/** The human view of bench/results/latest.json: one line per figure and the trip-latency histogram. */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { BenchResults } from "../benchmarks/all.ts";
import type { Summary } from "../benchmarks/stats.ts";
import { histogramSvg } from "./histogram-svg.ts";

function ms(summary: Summary | undefined): string {
  if (summary === undefined) return "-";
  return `p50 ${summary.p50.toFixed(3)}, p99 ${summary.p99.toFixed(3)}, max ${summary.max.toFixed(3)} ms`;
}

/** One line per figure, for the terminal and the Markdown report. */
export function figureLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const [name, figure] of Object.entries(results.figures)) {
    if ("error" in figure) {
      lines.push(`${name}: FAILED: ${figure.error}`);
      continue;
    }
    const f = figure as Record<string, any>;
    const trials = `(${f.trials} trials)`;
    if (name === "trip_latency_ms") lines.push(`${name} (real-time simulator: the host's timer jitter, not the board's CPU; see board_cpu_memory for trip latency in virtual time): deadline to coil off ${ms(f.toCoilMs)}; to contact open ${ms(f.toContactMs)}; goal ${f.goal}: ${f.goalMet ? "met" : "NOT met"} ${trials}`);
    else if (name === "end_to_end_ms") lines.push(`${name}: kill to network open ${ms(f.killToNetworkOpenMs)} (deadline ${f.deadlinesMs[0]} ms); kill to power open ${ms(f.killToPowerOpenMs)} (deadline ${f.deadlinesMs[2]} ms); within deadline: ${f.withinDeadline} ${trials}`);
    else if (name === "heartbeat_rate") lines.push(`${name}: ${f.highestSustainedPerSecond.toFixed(1)}/s sustained = ${(f.fractionOfLineRate * 100).toFixed(0)}% of the line-rate limit ${f.lineRateLimitPerSecond.toFixed(1)}/s (${f.frameBytes}-byte frames x ${f.byteTimeUs.toFixed(1)} us) ${trials}`);
    else if (name === "soak") lines.push(`${name}: ${f.falseTrips} false trips, ${f.refused} refused, ${f.acked} ACKed over ${f.virtualHours.toFixed(2)} h virtual; process.memory() usage ${f.memoryUsageBlocks.firstTenthMean.toFixed(0)} -> ${f.memoryUsageBlocks.lastTenthMean.toFixed(0)} of ${f.memoryUsageBlocks.total} blocks (first vs last tenth) ${trials}`);
    else if (name === "footprint") lines.push(`${name}: ${f.boards.map((b: { board: string; bytes: number | null }) => `${b.board} ${b.bytes ?? "missing"}`).join(", ")} bytes (target ${f.targetBytes}, limit ${f.limitBytes})`);
    else if (name === "board_cpu_memory") lines.push(...boardLines(f));
    else if (name === "agent_cpu_us_per_heartbeat") lines.push(`${name}: ${f.usPerHeartbeat.toFixed(1)} us per heartbeat: ${f.what} ${trials}`);
  }
  return lines;
}

/** One line per board: CPU-bound figures (virtual time, calibrated CPU model) and memory. */
function boardLines(f: Record<string, any>): string[] {
  const blocks = (m: { uploads: boolean; uploadPeakBlocks: number; afterBootBlocks?: number; variables: number }) =>
    m.uploads ? `peak ${m.uploadPeakBlocks}, after boot ${m.afterBootBlocks} of ${m.variables}` : `upload FAILS (peak ${m.uploadPeakBlocks} of ${m.variables})`;
  const lines = (f.boards as Record<string, any>[]).map(
    (b) =>
      `board_cpu_memory ${b.board} (${b.mhz} MHz): heartbeat ${b.heartbeatMs.toFixed(1)} ms, control cycle ${b.controlCycleMs.toFixed(1)} ms (${(b.controlCycleLoad * 100).toFixed(0)}% of the CPU), start() ${b.startMs.toFixed(0)} ms; ` +
      `against the two SHA-256 calls of an HMAC: a frame's tag check ${b.ratios.tagCheck === undefined ? "-" : b.ratios.tagCheck.toFixed(1)}x and tag() ${b.ratios.tag.toFixed(1)}x (goal 3x), heartbeat ${b.ratios.heartbeat.toFixed(1)}x (goal 15x); ` +
      `sustains ${b.sustainedHeartbeatsPerSecond.toFixed(1)} heartbeats/s (line rate ${b.lineRateLimitPerSecond.toFixed(1)}/s); ` +
      `trip under load (virtual time, garbage at line rate on both links): ${b.tripUnderLoadMs === undefined ? "none at the deadline" : `p50 ${b.tripUnderLoadMs.p50.toFixed(1)}, max ${b.tripUnderLoadMs.max.toFixed(1)} ms after the deadline (${b.tripUnderLoadMs.trials} trips)`}${b.tripUnderLoadProblems.length > 0 ? ` [${b.tripUnderLoadProblems.join("; ")}]` : ""}; ` +
      `blocks with save(): ${blocks(b.memory.save)}; as boot code: ${blocks(b.memory.bootcode)}`,
  );
  for (const failure of f.failed as { board: string; error: string }[]) lines.push(`board_cpu_memory ${failure.board}: not measured: ${failure.error}`);
  return lines;
}

export function writeBenchReport(results: BenchResults, path: string): void {
  const m = results.machine;
  const lines = [
    "# Guillotine benchmarks", "",
    `Generated ${results.generatedAt} on ${m.os}, ${m.cpuModel} (${m.cores} cores), Node ${m.node}; seed ${results.seed}, board ${results.board}, ${results.wallSeconds.toFixed(0)} s.`, "",
    ...figureLines(results).map((line) => `- ${line}`), "",
  ];
  const trip = results.figures.trip_latency_ms as { samples?: { toCoilMs: number[]; toContactMs: number[] } } | undefined;
  if (trip?.samples !== undefined) {
    const folder = `${basename(path, ".md")}-plots`;
    mkdirSync(join(dirname(path), folder), { recursive: true });
    writeFileSync(join(dirname(path), folder, "trip-latency-coil.svg"), histogramSvg(trip.samples.toCoilMs, { title: "deadline to coil off, real-time simulator", goal: 2 }));
    writeFileSync(join(dirname(path), folder, "trip-latency-contact.svg"), histogramSvg(trip.samples.toContactMs, { title: "deadline to contact open, real-time simulator" }));
    lines.push("## Trip latency", "", `![to coil](${folder}/trip-latency-coil.svg)`, "", `![to contact](${folder}/trip-latency-contact.svg)`, "");
  }
  writeFileSync(path, lines.join("\n"));
}
