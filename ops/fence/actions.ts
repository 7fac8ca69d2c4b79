/**
 * What each fence action does to the controller. Fenced ("OFF") means: the level is at least
 * the configured one and every path that level opens reads back `O` (both force-guided
 * contacts confirm the relay released). Anything else, including a path in its start-up test
 * or with a feedback fault, is not confirmed and counts as ON. Nothing here lowers a level.
 */
import { loadProfile } from "../../hardware/profile.ts";
import type { PathKind } from "../../hardware/profile-types.ts";
import { CommandError } from "../../kit/command/command-error.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { CYCLE_MS_MAX, SETTLE_MS_MAX } from "../../protocol/config-limits.ts";
import { ERR_RATE, LEVEL_OFFLINE } from "../../protocol/constants.ts";
import type { OpsClient } from "../client.ts";
import { connect } from "../connect.ts";
import { askChallenge, submitSignatures } from "../quorum.ts";
import { signChallenge } from "../signature.ts";
import type { Status } from "../status-text.ts";
import type { FenceSettings } from "./options.ts";

/** How often off reads STATUS while it waits for the paths to open. */
const POLL_INTERVAL_MS = 250;
/**
 * A path reads `O` as soon as its relays are commanded open; a relay whose contacts did not
 * follow is flagged (`F`) only after the settle time and the next check. So open is
 * confirmed by a second STATUS this much later, past the slowest settle and check the
 * firmware allows.
 */
const CONFIRM_MS = SETTLE_MS_MAX + 2 * CYCLE_MS_MAX;
/** The controller answers at most one challenge a second. */
const RATE_WAIT_MS = 1100;

/** Fence-agents' exit codes: 0 done (status: ON), 1 failed, 2 status OFF. */
export const FENCE_OK = 0;
export const FENCE_FAILED = 1;
export const FENCE_STATUS_OFF = 2;

/** A failure the agent reports as "Failed: ..." with exit 1. */
export class FenceError extends Error {}

export interface Output {
  result(line: string): void;
  step(line: string): void;
}

/** The path kinds a level opens (docs/protocol.md section 6). */
function kindsOpenedBy(level: number): PathKind[] {
  return level >= LEVEL_OFFLINE ? ["network", "power"] : ["network"];
}

export function isFenced(status: Status, settings: FenceSettings, kinds: PathKind[]): boolean {
  if (status.level < settings.level) return false;
  const opened = kindsOpenedBy(settings.level);
  return kinds.every((kind, index) => !opened.includes(kind) || status.paths[index] === "O");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Session {
  private constructor(readonly client: OpsClient, readonly kinds: PathKind[], private readonly settings: FenceSettings) {}

  static async open(settings: FenceSettings, output: Output): Promise<Session> {
    const kinds = loadProfile(settings.board).paths.map((path) => path.kind);
    output.step(`opening ${settings.port}`);
    let client: OpsClient;
    try {
      client = await connect({ port: settings.port, baud: String(settings.baud), "timeout-ms": String(settings.answerTimeoutMs) });
    } catch (error) {
      if (error instanceof CommandError) throw new FenceError(`unable to reach the controller: ${error.message}`);
      throw error;
    }
    const session = new Session(client, kinds, settings);
    if (settings.plug !== undefined && client.hello.id !== settings.plug) {
      await client.close();
      throw new FenceError(`${settings.port} is controller "${client.hello.id}", not "${settings.plug}": wrong port or plug (pcmk_host_map); nothing was done`);
    }
    output.step(`controller ${client.hello.id} answered, at ${describeLevel(client.hello.level)}`);
    return session;
  }

  async status(): Promise<Status> {
    const status = await this.client.ask("STATUS", "STATUS");
    if (status.paths.length !== this.kinds.length) {
      throw new FenceError(`the controller reports ${status.paths.length} paths, board ${this.settings.board} has ${this.kinds.length}: set board to the controller's profile`);
    }
    return status;
  }

  fenced(status: Status): boolean {
    return isFenced(status, this.settings, this.kinds);
  }

  /** Fenced now, and still fenced once a relay that did not release would have been flagged. */
  async confirmedFenced(): Promise<{ fenced: boolean; status: Status }> {
    const first = await this.status();
    if (!this.fenced(first)) return { fenced: false, status: first };
    await sleep(CONFIRM_MS);
    const second = await this.status();
    return { fenced: this.fenced(second), status: second };
  }

  /**
   * One operator's signed raise to the configured level; a level that rose meanwhile is fine.
   * A challenge asked by someone else within the last second (ERR RATE) is waited out, until
   * `deadline`.
   */
  async raise(output: Output, deadline: number): Promise<void> {
    const target = this.settings.level;
    output.step(`raising ${this.client.hello.id} to ${describeLevel(target)}, signed by operator ${this.settings.operator}`);
    for (;;) {
      try {
        const challenge = await askChallenge(this.client, target);
        await submitSignatures(this.client, [signChallenge(challenge, this.settings.operator, this.settings.key)], output.step);
        return;
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        // A trip between our STATUS and CHAL (ERR LEVEL) already did the job.
        if ((await this.status()).level >= target) return;
        if (!error.message.startsWith(`ERR ${ERR_RATE}`) || Date.now() + RATE_WAIT_MS >= deadline) {
          throw new FenceError(`the controller refused the raise: ${error.message}`);
        }
        output.step(`${error.message}; asking again`);
        await sleep(RATE_WAIT_MS);
      }
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

async function withSession(settings: FenceSettings, output: Output, body: (session: Session) => Promise<number>): Promise<number> {
  const session = await Session.open(settings, output);
  try {
    return await body(session);
  } catch (error) {
    if (error instanceof CommandError) throw new FenceError(error.message);
    throw error;
  } finally {
    await session.close();
  }
}

function describePaths(status: Status, kinds: PathKind[]): string {
  return kinds.map((kind, index) => `${kind} ${status.paths[index]}`).join(", ");
}

/** off (and reboot): raise, then wait until the paths read back open. */
export function fenceOff(settings: FenceSettings, output: Output, done: string): Promise<number> {
  return withSession(settings, output, async (session) => {
    let read = await session.confirmedFenced();
    if (read.fenced) {
      output.result("Success: Already OFF");
      return FENCE_OK;
    }
    const deadline = Date.now() + settings.powerTimeoutMs;
    if (read.status.level < settings.level) await session.raise(output, deadline);
    for (;;) {
      read = await session.confirmedFenced();
      if (read.fenced) break;
      if (Date.now() >= deadline) {
        throw new FenceError(`Timed out waiting to power OFF: after ${settings.powerTimeoutMs / 1000} s the controller is at ${describeLevel(read.status.level)} with paths ${describePaths(read.status, session.kinds)} (O is open)`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
    output.step(`paths read back: ${describePaths(read.status, session.kinds)}`);
    output.result(done);
    return FENCE_OK;
  });
}

export function fenceStatus(settings: FenceSettings, output: Output): Promise<number> {
  return withSession(settings, output, async (session) => {
    const read = await session.confirmedFenced();
    output.step(`level ${describeLevel(read.status.level)}, paths ${describePaths(read.status, session.kinds)}`);
    if (read.fenced) {
      output.result("Status: OFF");
      return FENCE_STATUS_OFF;
    }
    output.result("Status: ON");
    return FENCE_OK;
  });
}

/** monitor: the controller answers SYNC and STATUS on the configured link. */
export function fenceMonitor(settings: FenceSettings, output: Output): Promise<number> {
  return withSession(settings, output, async (session) => {
    await session.status();
    return FENCE_OK;
  });
}

/** list: the one plug of this device, the controller's id, as `id<separator>alias`. */
export function fenceList(settings: FenceSettings, output: Output): Promise<number> {
  return withSession(settings, output, async (session) => {
    output.result(`${session.client.hello.id}${settings.separator}${session.client.hello.id}`);
    return FENCE_OK;
  });
}
