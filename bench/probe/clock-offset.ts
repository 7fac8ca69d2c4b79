/**
 * Correlates the probe's clock with the bench's, NTP-style: the bench sends P.ping(id) at
 * `sentMs`, the probe answers with its getTime(), the answer arrives at `receivedMs`. The probe
 * read its clock somewhere in between, so the sample with the shortest round trip bounds the
 * offset best: offset = probeMs - (sentMs + receivedMs) / 2, within +- roundTrip / 2.
 */
export interface PingSample {
  sentMs: number;
  receivedMs: number;
  /** The probe's getTime(), in seconds. */
  probeS: number;
}

export interface ClockOffset {
  /** probe ms minus bench ms. */
  offsetMs: number;
  /** Half the best round trip: the offset is right within this. */
  uncertaintyMs: number;
  samples: number;
}

export function estimateOffset(samples: PingSample[]): ClockOffset {
  if (samples.length === 0) throw new Error("no ping answered: is the probe running (P.start()) and on the given port?");
  let best = samples[0];
  for (const sample of samples) if (sample.receivedMs - sample.sentMs < best.receivedMs - best.sentMs) best = sample;
  const roundTripMs = best.receivedMs - best.sentMs;
  if (roundTripMs < 0) throw new Error("a ping answer arrived before it was sent: the samples are mixed up");
  return { offsetMs: best.probeS * 1000 - (best.sentMs + best.receivedMs) / 2, uncertaintyMs: roundTripMs / 2, samples: samples.length };
}

/** A probe timestamp (seconds) on the bench's clock (ms). */
export function toBenchMs(probeS: number, offset: ClockOffset): number {
  return probeS * 1000 - offset.offsetMs;
}
