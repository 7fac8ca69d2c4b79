/**
 * JUnit XML for CI: one testsuite per run, one testcase per scenario; a failure carries every
 * message; a skip says which capability the target lacks. The seed is in the suite's
 * properties so a CI failure can be replayed locally with --seed.
 */
import type { RunReport } from "../runner/results.ts";
import { counts } from "../runner/results.ts";

export function xmlEscape(text: string): string {
  // XML 1.0 cannot carry most control characters even escaped; show them as \xNN.
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function toJUnit(report: RunReport): string {
  const tally = counts(report);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="guillotine bench" tests="${report.results.length}" failures="${tally.fail}" skipped="${tally.skip}" time="${(report.wallMs / 1000).toFixed(3)}">`,
    `  <testsuite name="bench.${report.target}.${xmlEscape(report.board)}" tests="${report.results.length}" failures="${tally.fail}" skipped="${tally.skip}" time="${(report.wallMs / 1000).toFixed(3)}" timestamp="${report.startedAt}">`,
    `    <properties><property name="seed" value="${report.seed}"/><property name="replay" value="guillotine bench run --target ${report.target} --seed ${report.seed}"/></properties>`,
  ];
  for (const result of report.results) {
    const head = `    <testcase classname="bench.${report.target}" name="${xmlEscape(result.id)}" time="${(result.wallMs / 1000).toFixed(3)}">`;
    lines.push(head);
    if (result.status === "fail") lines.push(`      <failure message="${xmlEscape(result.failures[0] ?? "failed")}">${xmlEscape(result.failures.join("\n"))}</failure>`);
    if (result.status === "skip") lines.push(`      <skipped message="${xmlEscape(result.skipReason ?? "skipped")}"/>`);
    const out = [`${result.title}`, `requirements: ${result.requirements.join(", ")}`, `seed: ${result.seed}`, ...result.notes];
    lines.push(`      <system-out>${xmlEscape(out.join("\n"))}</system-out>`, `    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`, "");
  return lines.join("\n");
}
