/**
 * Mechanical timing of a relay. Defaults are typical of small safety relays with
 * force-guided contacts (datasheets give 10-20 ms operate, 4-10 ms release, 1-5 ms bounce).
 */
export interface RelayTiming {
  /** From coil energised to the main contact first touching. */
  operateMs: number;
  /** From coil de-energised to the main contact opening. */
  releaseMs: number;
  /** How long a closing contact chatters before it settles closed. 0 = no bounce. */
  bounceMs: number;
  /** Most extra open/close pairs while bouncing (the actual count is seeded). */
  bounceCountMax: number;
}

export const RELAY_TIMING_DEFAULT: RelayTiming = { operateMs: 10, releaseMs: 5, bounceMs: 2, bounceCountMax: 3 };
