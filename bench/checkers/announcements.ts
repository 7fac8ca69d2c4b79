/**
 * The controller's level as its own frames announce it, in time order: HELLO at boot (a new
 * session nonce) or in answer to SYNC, LEVEL on every change, and the level field of ACK.
 * Taken from the host link alone: each link's frames are in order, but the two links' are
 * not with each other (a STATUS on the ops link can overtake a LEVEL queued on the host link).
 */
import { parseControllerFrame } from "../../protocol/controller-frames.ts";
import type { Timeline } from "../harness/timeline.ts";

export interface Announcement {
  atMs: number;
  level: number;
  /** "boot": a HELLO with a new session nonce; "hello": HELLO for SYNC; else the frame type. */
  source: "boot" | "hello" | "level" | "ack";
  cause?: string;
  text: string;
}

export function announcements(timeline: Timeline): Announcement[] {
  const found: Announcement[] = [];
  let nonce: string | undefined;
  for (const event of timeline.events) {
    if (event.kind !== "rx") continue;
    const frame = parseControllerFrame(event.text);
    // When the controller decided it, not when it came out of a possibly backed-up line.
    const atMs = event.sentAtMs ?? event.atMs;
    if (event.link === "host" && frame.type === "HELLO") {
      found.push({ atMs, level: frame.level, source: frame.nonce === nonce ? "hello" : "boot", text: event.text });
      nonce = frame.nonce;
    } else if (event.link === "host" && frame.type === "LEVEL") {
      found.push({ atMs, level: frame.level, source: "level", cause: frame.cause, text: event.text });
    } else if (event.link === "host" && frame.type === "ACK") {
      found.push({ atMs, level: frame.level, source: "ack", text: event.text });
    }
  }
  return found.sort((a, b) => a.atMs - b.atMs);
}
