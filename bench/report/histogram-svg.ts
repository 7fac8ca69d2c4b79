/**
 * A histogram of latencies (ms) with p50, p99 and a goal line: the report's trip-latency plot.
 */
import { percentile } from "../benchmarks/stats.ts";
import { line, rect, svgDocument, text } from "./svg.ts";

export interface HistogramOptions {
  title: string;
  unit?: string;
  bins?: number;
  /** A vertical goal line, e.g. 2 ms for p99 to the coil. */
  goal?: number;
}

const WIDTH = 560;
const HEIGHT = 240;
const LEFT = 45;
const BOTTOM = 40;
const TOP = 25;

export function histogramSvg(values: number[], options: HistogramOptions): string {
  const unit = options.unit ?? "ms";
  if (values.length === 0) return svgDocument(WIDTH, 60, [text(10, 30, `${options.title}: no samples`)], options.title);
  const bins = options.bins ?? 30;
  const low = Math.min(0, ...values);
  const high = Math.max(...values, options.goal ?? -Infinity, low + 1e-3);
  const binWidth = (high - low) / bins;
  const tally = new Array(bins).fill(0);
  for (const value of values) tally[Math.min(bins - 1, Math.floor((value - low) / binWidth))]++;
  const peak = Math.max(...tally);
  const plotWidth = WIDTH - LEFT - 15;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (value: number): number => LEFT + ((value - low) / (high - low)) * plotWidth;
  const body = [text(LEFT, 15, `${options.title} (n=${values.length})`)];
  tally.forEach((count, index) => {
    const barHeight = (count / peak) * plotHeight;
    body.push(rect(x(low + index * binWidth) + 0.5, TOP + plotHeight - barHeight, plotWidth / bins - 1, barHeight, "#4a7bd0", `${count} in [${(low + index * binWidth).toFixed(3)}, ${(low + (index + 1) * binWidth).toFixed(3)}) ${unit}`));
  });
  body.push(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#333"), line(LEFT, TOP, LEFT, TOP + plotHeight, "#333"));
  body.push(text(LEFT, HEIGHT - 22, `${low.toFixed(2)}`, "middle"), text(LEFT + plotWidth, HEIGHT - 22, `${high.toFixed(2)} ${unit}`, "end"));
  body.push(text(LEFT - 5, TOP + 8, String(peak), "end"), text(LEFT - 5, TOP + plotHeight, "0", "end"));
  const markers: [string, number, string][] = [["p50", percentile(values, 50), "#2a9d4b"], ["p99", percentile(values, 99), "#d08a1a"]];
  if (options.goal !== undefined) markers.push(["goal", options.goal, "#c0392b"]);
  markers.forEach(([name, value, color], index) => {
    body.push(line(x(value), TOP, x(value), TOP + plotHeight, color, "4 3"));
    body.push(text(LEFT + 10 + index * 150, HEIGHT - 6, `${name} ${value.toFixed(3)} ${unit}`, "start", color));
  });
  return svgDocument(WIDTH, HEIGHT, body, options.title);
}
