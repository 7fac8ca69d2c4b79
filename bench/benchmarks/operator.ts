/**
 * A quorum restore over an ops-link peer, honouring the one-challenge-per-second limit.
 * Used by the real-time benchmarks, which need the controller at standard again and again.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import { authLine } from "../../protocol/testing/signed-lines.ts";
import type { Peer } from "./peer.ts";

export class Operators {
  private lastChallengeMs = -Infinity;

  constructor(private readonly ops: Peer, private readonly config: ControllerConfig) {}

  /** Moves the controller to `level` with the first `quorum` operators; throws on refusal. */
  async restore(level = 0): Promise<void> {
    const waitMs = this.lastChallengeMs + 1050 - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    this.lastChallengeMs = performance.now();
    const reply = await this.ops.ask(`CHAL ${level}\n`, (t) => t.startsWith("CHAL ") || t.startsWith("ERR "), "CHAL answer");
    if (!reply.startsWith("CHAL ")) throw new Error(`restore: CHAL ${level} refused: ${reply}`);
    const nonce = reply.split(" ")[1];
    const done = this.ops.next((t) => t.startsWith(`LEVEL ${level} `) || t.startsWith("ERR "), `LEVEL ${level}`);
    for (let operator = 0; operator < this.config.quorum; operator++) {
      this.ops.write(authLine(this.config.id, nonce, level, operator, this.config.operators[operator]) + "\n");
    }
    const outcome = await done;
    if (outcome.startsWith("ERR ")) throw new Error(`restore: refused with ${outcome}`);
  }
}
