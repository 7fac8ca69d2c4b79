/** The table the demo ends with: one row per step, and whether it went as expected. */

export interface StepResult {
  step: string;
  expected: string;
  observed: string;
  /** How long the step took, in ms. */
  timeMs: number;
  ok: boolean;
}

const HEADERS = ["step", "expected", "observed", "time", "ok"];

/** A plain-text table (no colour, so tests and logs can read it). */
export function summaryTable(results: StepResult[]): string[] {
  const rows = results.map((result) => [result.step, result.expected, result.observed, `${(result.timeMs / 1000).toFixed(1)} s`, result.ok ? "ok" : "FAILED"]);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => (column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd();
  return [line(HEADERS), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)];
}
