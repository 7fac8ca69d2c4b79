/**
 * The conformance suite's peer: the real firmware bundle on the simulated board
 * (simulator/testing/firmware-rig.ts), asked one request at a time as docs/protocol.md
 * section 5 tells a peer to, with the replies to each request kept apart from the
 * unsolicited frames (LEVEL, periodic STATUS) that section 4 names.
 */
import { FirmwareRig, REPLY_WITHIN_MS } from "../../simulator/testing/firmware-rig.ts";

/** How long a request waits for its first reply (the board takes CPU time: docs/simulator.md). */
export const REPLY_WAIT_MS = REPLY_WITHIN_MS;
/** The replies of one request leave together: once one arrived, the rest follow within this (two 128-byte frames at 115200 baud). */
const REPLY_GAP_MS = 25;

export type LinkName = "host" | "ops";

export class ConformancePeer {
  constructor(readonly rig: FirmwareRig) {}

  static async boot(options: Parameters<typeof FirmwareRig.start>[0] = {}): Promise<ConformancePeer> {
    return new ConformancePeer(await FirmwareRig.start(options));
  }

  /**
   * Sends raw bytes on `link`; returns every line the controller sent on it meanwhile: up to
   * `waitMs` for the first, then until the link has been quiet for REPLY_GAP_MS.
   */
  exchange(link: LinkName, bytes: string, waitMs = REPLY_WAIT_MS): string[] {
    const before = this.rig.lines(link).length;
    if (link === "host") this.rig.sendHost(bytes);
    else this.rig.sendOps(bytes);
    const deadlineMs = this.rig.nowMs + waitMs;
    while (this.rig.lines(link).length === before && this.rig.nowMs < deadlineMs) this.rig.advance(1);
    let count = this.rig.lines(link).length;
    let quietSinceMs = this.rig.nowMs;
    while (count > before && this.rig.nowMs - quietSinceMs < REPLY_GAP_MS) {
      this.rig.advance(1);
      if (this.rig.lines(link).length !== count) {
        count = this.rig.lines(link).length;
        quietSinceMs = this.rig.nowMs;
      }
    }
    return this.rig.lines(link).slice(before);
  }

  /** The replies to one request: what came back on its link, LEVEL announcements left out. */
  replies(link: LinkName, line: string, waitMs = REPLY_WAIT_MS): string[] {
    return this.exchange(link, line + "\n", waitMs).filter((text) => !text.startsWith("LEVEL "));
  }

  /** The one reply to `line`; throws when there is not exactly one. */
  ask(link: LinkName, line: string, waitMs = REPLY_WAIT_MS): string {
    const replies = this.replies(link, line, waitMs);
    if (replies.length !== 1) throw new Error(`${line}: expected exactly one reply, got ${JSON.stringify(replies)}`);
    return replies[0];
  }

  /** STATUS, split into its named fields (section 4). */
  status(): Record<string, string> {
    const f = this.ask("ops", "STATUS").split(" ");
    const names = ["type", "level", "cause", "paths", "inputs", "age", "seq", "uptime", "lognext", "boot", "causeboot"];
    return Object.fromEntries(names.map((name, i) => [name, f[i]]));
  }

  /** Restores to standard with two operators and sends heartbeats until the paths are closed. */
  restoreAndRun(): void {
    this.rig.advance(1000);
    this.rig.quorum(0);
    this.rig.heartbeats(600);
  }
}
