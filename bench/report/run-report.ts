/**
 * The human report of a run, in Markdown (plots written as SVG files beside it) or HTML (plots
 * inline): summary, one row per scenario with its requirements, failures and measurements,
 * the trip-latency histogram, and a timeline for each failing or timed scenario.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { counts, type RunReport, type ScenarioResult } from "../runner/results.ts";
import { histogramSvg } from "./histogram-svg.ts";
import { xmlEscape } from "./junit.ts";
import { timelineOf, timelineSvg } from "./timeline-svg.ts";

/** Trip latencies measured by the scenarios (from when a trip was due), to the coil or to the contact. */
export function tripLatencies(report: RunReport, to: "coil" | "contact"): number[] {
  const pattern = to === "coil" ? /coil off/ : /path open/;
  return report.results.flatMap((result) => result.measurements.filter((m) => pattern.test(m.name)).map((m) => m.valueMs));
}

interface Plot {
  name: string;
  title: string;
  svg: string;
}

function plots(report: RunReport): Plot[] {
  const list: Plot[] = [
    { name: "trip-latency-coil", title: "Trip latency of the scenarios' trips: due to coil off", svg: histogramSvg(tripLatencies(report, "coil"), { title: "due to coil off" }) },
    { name: "trip-latency-contact", title: "Trip latency of the scenarios' trips: due to contact open", svg: histogramSvg(tripLatencies(report, "contact"), { title: "due to contact open" }) },
  ];
  for (const result of report.results) {
    if (result.timeline === undefined) continue;
    list.push({ name: `timeline-${result.id}`, title: `${result.id} (${result.status})`, svg: timelineSvg(timelineOf(result.timeline), result.pathKinds, `${result.id}: ${result.status}`) });
  }
  return list;
}

function summaryLines(report: RunReport): string[] {
  const tally = counts(report);
  const replay = report.target === "serial" ? `guillotine bench run --target serial --seed ${report.seed}\` with the same ports and --config` : `guillotine bench run --target sim --seed ${report.seed}\``;
  const clock = report.probeClock;
  return [
    `Target **${report.target}**, board ${report.board}, seed **${report.seed}** (replay: \`${replay}), started ${report.startedAt}, ${(report.wallMs / 1000).toFixed(2)} s.`,
    ...(clock === undefined ? [] : ["", `Probe clock: offset ${clock.offsetMs.toFixed(3)} ms +- ${clock.uncertaintyMs.toFixed(3)} ms, drift ${clock.driftPpm.toFixed(1)} ppm fitted through ${clock.correlations} correlations; probe edges are mapped onto the bench's clock with them.`]),
    "",
    `**${tally.pass} passed, ${tally.fail} failed, ${tally.skip} skipped** of ${report.results.length}.`,
  ];
}

function row(result: ScenarioResult): string {
  const detail = result.status === "skip" ? result.skipReason ?? "" : result.failures.join("<br>");
  const measured = result.measurements.map((m) => `${m.name}: ${m.valueMs.toFixed(3)} ms`).join("<br>");
  const cell = (value: string): string => value.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
  return `| ${result.status.toUpperCase()} | \`${result.id}\` | ${result.requirements.join(", ")} | ${cell(result.title)} | ${cell(detail)} | ${cell(measured)} |`;
}

export function markdownReport(report: RunReport, plotLinks: Map<string, string>): string {
  const lines = ["# Guillotine bench report", "", ...summaryLines(report), "", "| status | scenario | requirements | verifies | failures / skip reason | measured |", "|---|---|---|---|---|---|"];
  for (const result of report.results) lines.push(row(result));
  for (const result of report.results.filter((r) => r.notes.length > 0)) lines.push("", `Notes on \`${result.id}\`:`, ...result.notes.map((note) => `- ${note}`));
  lines.push("", "## Plots", "");
  for (const [title, link] of plotLinks) lines.push(`### ${title}`, "", `![${title}](${link})`, "");
  return lines.join("\n");
}

export function htmlReport(report: RunReport): string {
  const table = report.results.map((r) => `<tr class="${r.status}"><td>${r.status.toUpperCase()}</td><td><code>${xmlEscape(r.id)}</code></td><td>${r.requirements.join(", ")}</td><td>${xmlEscape(r.title)}</td><td>${xmlEscape(r.status === "skip" ? r.skipReason ?? "" : r.failures.join("\n")).replace(/\n/g, "<br>")}</td><td>${r.measurements.map((m) => `${xmlEscape(m.name)}: ${m.valueMs.toFixed(3)} ms`).join("<br>")}</td></tr>`);
  const figures = plots(report).map((plot) => `<h3>${xmlEscape(plot.title)}</h3>\n${plot.svg}`);
  const summary = summaryLines(report).join(" ").replace(/\*\*(.*?)\*\*/g, "<b>$1</b>").replace(/`(.*?)`/g, "<code>$1</code>");
  return [
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Guillotine bench report</title>",
    "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:13px}.fail td:first-child{background:#f6c6c0}.pass td:first-child{background:#c9eccf}.skip td:first-child{background:#eee}</style></head><body>",
    "<h1>Guillotine bench report</h1>", `<p>${summary}</p>`,
    "<table><tr><th>status</th><th>scenario</th><th>requirements</th><th>verifies</th><th>failures / skip reason</th><th>measured</th></tr>", ...table, "</table>",
    "<h2>Plots</h2>", ...figures, "</body></html>", "",
  ].join("\n");
}

/** Writes the report to `path` (.md with an `<name>-plots/` folder of SVGs, or .html). */
export function writeRunReport(report: RunReport, path: string): void {
  if (path.endsWith(".html")) return writeFileSync(path, htmlReport(report));
  if (!path.endsWith(".md")) throw new Error(`--report ${path}: name a .md or .html file`);
  const folder = `${basename(path, ".md")}-plots`;
  mkdirSync(join(dirname(path), folder), { recursive: true });
  const links = new Map<string, string>();
  for (const plot of plots(report)) {
    writeFileSync(join(dirname(path), folder, `${plot.name}.svg`), plot.svg);
    links.set(plot.title, `${folder}/${plot.name}.svg`);
  }
  writeFileSync(path, markdownReport(report, links));
}
