/**
 * What every bundle rule reports: one construct the Espruino interpreter rejects or runs
 * wrongly, at a character offset of the checked code. check-bundle.ts turns offsets into
 * line:column and sorts the list.
 */
export interface Violation {
  /** Offset of the construct in the checked code. */
  offset: number;
  /** Names the construct, e.g. "default parameter". Tests match on it. */
  construct: string;
  /** Why Espruino fails on it and what to write instead. */
  hint: string;
}

/** How a rule records a violation. */
export type Report = (offset: number, construct: string, hint: string) => void;
