/**
 * Ways to damage a protocol line, each a pure function of the line and a seeded generator, so
 * a fuzz run is replayed exactly from its seed. Lines carry no LF; the fuzzer adds it (and
 * some mutations add more, or take it away, on purpose).
 */
import type { Rng } from "../../simulator/rng.ts";

export type Mutation = (line: string, rng: Rng) => string;

/** Bytes that mean something to a REPL, a terminal or the framing. */
const CONTROL_BYTES = ["\x00", "\x03", "\x10", "\r", "\n", "\x1b", "\x7f", "\xff", "\x08", "\t", " "];
/** Numbers that break parsers: huge, negative, fractional, with leading zeros or exponents. */
const ODD_NUMBERS = ["4294967295", "4294967296", "99999999999999999999", "-1", "0", "00", "01", "1e9", "1.5", "0x10", "NaN", "Infinity", "9".repeat(40), ""];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

function fields(line: string): string[] {
  return line.split(" ");
}

export const MUTATIONS: Record<string, Mutation> = {
  none: (line) => line,
  "bit-flip": (line, rng) => {
    if (line.length === 0) return line;
    const at = rng.int(line.length);
    return line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ (1 << rng.int(8))) + line.slice(at + 1);
  },
  truncate: (line, rng) => line.slice(0, rng.int(line.length + 1)),
  duplicate: (line, rng) => (line + "\n").repeat(2 + rng.int(40)).slice(0, -1),
  "duplicate-field": (line, rng) => {
    const f = fields(line);
    const at = rng.int(f.length);
    f.splice(at, 0, f[at]);
    return f.join(" ");
  },
  "drop-field": (line, rng) => {
    const f = fields(line);
    f.splice(rng.int(f.length), 1);
    return f.join(" ");
  },
  "swap-fields": (line, rng) => {
    const f = fields(line);
    const a = rng.int(f.length);
    const b = rng.int(f.length);
    [f[a], f[b]] = [f[b], f[a]];
    return f.join(" ");
  },
  "huge-number": (line, rng) => {
    const f = fields(line);
    const numeric = f.flatMap((field, index) => (/^\d+$/.test(field) ? [index] : []));
    const at = numeric.length > 0 ? pick(rng, numeric) : rng.int(f.length);
    f[at] = pick(rng, ODD_NUMBERS);
    return f.join(" ");
  },
  "control-byte": (line, rng) => {
    const at = rng.int(line.length + 1);
    return line.slice(0, at) + pick(rng, CONTROL_BYTES) + line.slice(at);
  },
  "extra-space": (line, rng) => {
    const at = rng.int(line.length + 1);
    return line.slice(0, at) + " " + line.slice(at);
  },
  "lower-case": (line) => line.toLowerCase(),
  "upper-case": (line) => line.toUpperCase(),
  overlong: (line, rng) => line + " " + "a".repeat(100 + rng.int(200)),
  "random-bytes": (_line, rng) => {
    let text = "";
    for (let count = 1 + rng.int(150); count > 0; count--) text += String.fromCharCode(rng.int(256));
    return text;
  },
  /** The fuzzer sends this line without its LF, so it runs into the next frame. */
  "no-newline": (line) => line,
  "crlf": (line) => line + "\r",
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Applies one to three mutations drawn from `rng`; returns the text and what was done. */
export function mutate(line: string, rng: Rng): { text: string; applied: string[] } {
  const applied: string[] = [];
  let text = line;
  for (let round = 1 + (rng.chance(0.3) ? 1 + rng.int(2) : 0); round > 0; round--) {
    const name = pick(rng, MUTATION_NAMES);
    text = MUTATIONS[name](text, rng);
    applied.push(name);
  }
  return { text, applied };
}
