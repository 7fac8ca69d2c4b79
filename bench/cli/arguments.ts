/** Argument checks shared by the bench subcommands; each error names the option and the fix. */
import { CommandError } from "../../kit/command/command-error.ts";
import { EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { Rng, SEED_MAX } from "../../simulator/rng.ts";

/** `--seed N` as given, or a fresh one (printed first by the caller so the run can be replayed). */
export function seedOption(text: string | undefined): number {
  if (text === undefined) return Rng.randomSeed();
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) throw new CommandError(EXIT_USAGE, `--seed must be a whole number from 0 to ${SEED_MAX}, got ${text}`);
  return seed;
}

/** A positive whole number option, or `fallback`. */
export function countOption(name: string, text: string | undefined, fallback: number, max = 1e9): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CommandError(EXIT_USAGE, `--${name} must be a whole number from 1 to ${max}, got ${text}`);
  return value;
}
