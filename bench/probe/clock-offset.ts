/**
 * Correlates the probe's clock with the bench's, NTP-style: the bench sends P.ping(id) at
 * `sentMs`, the probe answers with its getTime(), the answer arrives at `receivedMs`. The probe
 * read its clock somewhere in between, so the sample with the shortest round trip bounds the
 * offset best: offset = probeMs - (sentMs + receivedMs) / 2, within +- roundTrip / 2.
 *
 * The two crystals also drift apart (tens of ppm; 100 ppm is 6 ms a minute), so one offset
 * goes stale over a run. The bench correlates again before each scenario and fits a line
 * through every correlation so far: its slope is the drift, which carries the latest offset
 * forward between correlations.
 */
export interface PingSample {
  sentMs: number;
  receivedMs: number;
  /** The probe's getTime(), in seconds. */
  probeS: number;
}

export interface ClockOffset {
  /** probe ms minus bench ms, at bench time `atMs`. */
  offsetMs: number;
  /** Bench time the offset was measured at (the middle of the best round trip). */
  atMs: number;
  /** Half the best round trip: the offset is right within this (at `atMs`). */
  uncertaintyMs: number;
  samples: number;
  /** How much faster the probe's clock runs than the bench's, in ppm (0 until it can be fitted). */
  driftPpm: number;
}

/** Correlations closer together than this say too little about the drift to fit it. */
export const DRIFT_SPAN_MIN_MS = 5000;
/** Correlations kept for the drift fit: the oldest go first (bounded memory on long runs). */
export const DRIFT_POINTS_MAX = 64;

export function estimateOffset(samples: PingSample[]): ClockOffset {
  if (samples.length === 0) throw new Error("no ping answered: is the probe running (P.start()) and on the given port?");
  let best = samples[0];
  for (const sample of samples) if (sample.receivedMs - sample.sentMs < best.receivedMs - best.sentMs) best = sample;
  const roundTripMs = best.receivedMs - best.sentMs;
  if (roundTripMs < 0) throw new Error("a ping answer arrived before it was sent: the samples are mixed up");
  const atMs = (best.sentMs + best.receivedMs) / 2;
  return { offsetMs: best.probeS * 1000 - atMs, atMs, uncertaintyMs: roundTripMs / 2, samples: samples.length, driftPpm: 0 };
}

/**
 * The latest of `history` (oldest first) with the drift of the least-squares line through all
 * of them, once they span DRIFT_SPAN_MIN_MS; before that the drift is taken as 0.
 */
export function withDrift(history: readonly ClockOffset[]): ClockOffset {
  const latest = history.at(-1);
  if (latest === undefined) throw new Error("no clock correlation yet: call correlate() first");
  if (latest.atMs - history[0].atMs < DRIFT_SPAN_MIN_MS) return { ...latest, driftPpm: 0 };
  const n = history.length;
  const meanT = history.reduce((sum, o) => sum + o.atMs, 0) / n;
  const meanO = history.reduce((sum, o) => sum + o.offsetMs, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const o of history) {
    covariance += (o.atMs - meanT) * (o.offsetMs - meanO);
    variance += (o.atMs - meanT) ** 2;
  }
  return { ...latest, driftPpm: (covariance / variance) * 1e6 };
}

/**
 * A probe timestamp (seconds) on the bench's clock (ms). The probe reads p = t + o(t), with
 * o(t) = offsetMs + r (t - atMs) and r the drift as a fraction; solved for t.
 */
export function toBenchMs(probeS: number, offset: ClockOffset): number {
  const rate = offset.driftPpm * 1e-6;
  return (probeS * 1000 - offset.offsetMs + rate * offset.atMs) / (1 + rate);
}
