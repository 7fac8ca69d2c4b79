/**
 * The log head as the controller vouches for it (docs/protocol.md section 8): `HEAD <next>
 * <head> <tag>`, the tag an operator's key over a nonce the verifier chose. It is what makes a
 * rewritten export fail: the chain can be recomputed by anyone, this tag only by the
 * controller (or the operator holding the key).
 */
import { randomBytes } from "node:crypto";
import { NONCE_HEX_CHARS } from "../protocol/constants.ts";
import { equalConstantTime, fromHex } from "../protocol/hex.ts";
import { HmacKey, tag } from "../protocol/hmac.ts";
import { logHeadInput } from "../protocol/messages.ts";
import type { OpsClient } from "./client.ts";
import type { LogEnd, LogEntry } from "./log-chain.ts";

export interface LogHead {
  next: number;
  head: string;
  tag: string;
}

/** What the exporter asked for, and the controller's answer: the head it vouched for. */
export interface Vouch {
  id: string;
  operator: number;
  nonce: string;
  head: LogHead;
}

/** A fresh verifier nonce: 32 hex digits from the system's CSPRNG. */
export function verifierNonce(): string {
  return randomBytes(NONCE_HEX_CHARS / 2).toString("hex");
}

/** True when `head.tag` is operator key `keyHex`'s tag over this controller, nonce and head. */
export function verifyHead(id: string, nonce: string, head: LogHead, keyHex: string): boolean {
  return equalConstantTime(head.tag, tag(new HmacKey(fromHex(keyHex)), logHeadInput(id, nonce, head.next, head.head)));
}

/** Asks the controller to vouch for its head to operator `operator`, with a fresh nonce. */
export async function askHead(client: OpsClient, operator: number): Promise<{ nonce: string; head: LogHead }> {
  const nonce = verifierNonce();
  const frame = await client.ask(`HEAD ${operator} ${nonce}`, "HEAD");
  return { nonce, head: { next: frame.next, head: frame.head, tag: frame.tag } };
}

/** Why `vouch` does not authenticate the log that ends with `end` under `keyHex`; undefined when it does. */
export function vouchProblem(vouch: Vouch, keyHex: string, end: LogEnd): string | undefined {
  if (!verifyHead(vouch.id, vouch.nonce, vouch.head, keyHex)) {
    return `the HEAD tag does not verify with operator ${vouch.operator}'s key: the export was altered, or that key is not operator ${vouch.operator}'s`;
  }
  if (vouch.head.next !== end.next || vouch.head.head !== end.head) {
    return `the controller vouched for head ${vouch.head.head} (next ${vouch.head.next}), but the log ends at ${end.head} (next ${end.next})`;
  }
  return undefined;
}

/**
 * An export continued with what the live controller wrote since: the export's entries, then
 * the live ones after them. The newest exported entry may have been a boot entry that later
 * boots counted up (docs/protocol.md section 8): the live one replaces it when only its boot
 * and count moved on.
 */
export function continueWithLive(exported: LogEntry[], live: LogEntry[]): LogEntry[] {
  const last = exported.at(-1);
  if (last === undefined) return live;
  const same = live.find((entry) => entry.index === last.index);
  const recounted = same !== undefined && last.cause === "boot" && same.cause === "boot" && same.level === last.level && same.prev === last.prev && same.count > last.count;
  const head = recounted ? [...exported.slice(0, -1), same] : exported;
  return [...head, ...live.filter((entry) => entry.index > last.index)];
}
