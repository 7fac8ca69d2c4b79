/**
 * Seeded PRNG (sfc32, seeded through splitmix32). Every random choice in the simulator comes
 * from one of these, so a run is replayed exactly from its seed. `derive(name)` gives each
 * subsystem its own stream: adding a consumer in one place does not shift the numbers another
 * subsystem sees.
 */
import { strict as assert } from "node:assert";

/** Largest seed accepted: seeds are unsigned 32-bit integers so they print and parse plainly. */
export const SEED_MAX = 0xffffffff;
/** sfc32 output is poor for the first few rounds after seeding; these are thrown away. */
const WARMUP_ROUNDS = 12;

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the UTF-16 code units of `text`. */
function hashName(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

export class Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    assert(Number.isInteger(seed) && seed >= 0 && seed <= SEED_MAX, `seed must be an integer in 0..${SEED_MAX}, got ${seed}`);
    this.seed = seed;
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let round = 0; round < WARMUP_ROUNDS; round++) this.nextU32();
  }

  /** A fresh seed from the host's entropy, for runs that were not given one. */
  static randomSeed(): number {
    return crypto.getRandomValues(new Uint32Array(1))[0];
  }

  /** An independent stream for subsystem `name`, fixed by this generator's seed and the name. */
  derive(name: string): Rng {
    return new Rng((Math.imul(this.seed ^ hashName(name), 0x9e3779b1) ^ hashName(name + "/")) >>> 0);
  }

  /** Uniform unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    assert(Number.isInteger(n) && n > 0 && n <= 0x1_0000_0000, `int(n) needs an integer 1..2^32, got ${n}`);
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const value = this.nextU32();
      if (value < limit) return value % n;
    }
  }

  /** True with probability `p` (0..1). */
  chance(p: number): boolean {
    assert(p >= 0 && p <= 1, `probability must be within 0..1, got ${p}`);
    return p > 0 && this.nextFloat() < p;
  }
}
