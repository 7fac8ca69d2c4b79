/** Order statistics for latency figures. */

/** The p-th percentile (0-100) by nearest rank; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Summary {
  trials: number;
  p50: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

export function summarize(values: number[]): Summary {
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return { trials: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values), min: Math.min(...values), mean };
}
