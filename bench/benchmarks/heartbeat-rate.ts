/**
 * heartbeat_rate: the highest heartbeat rate the controller sustains on its 115200-baud host
 * link with no frame rejected, as a fraction of the line-rate limit (one frame per
 * bytes x 86.8 us). Virtual time, paced line: for each tried fraction, heartbeats go out at
 * that rate for a window; it is sustained when every one is ACKed, none refused, the level
 * stays standard and the receive backlog stays under two frames (above line rate it grows).
 */
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { benchConfig } from "../harness/config.ts";
import { Session } from "../harness/session.ts";
import { SimTarget } from "../targets/sim-target.ts";

export const RATE_FRACTIONS = [0.5, 0.8, 0.9, 0.95, 0.98, 1.0, 1.02, 1.1];
/** Sequence numbers from here have 7 digits, so every frame has the same length. */
const SEQUENCE_BASE = 1_000_000;

export interface RateTrial {
  fraction: number;
  perSecond: number;
  sent: number;
  acked: number;
  refused: number;
  backlogBytes: number;
  sustained: boolean;
}

export interface HeartbeatRateResult {
  frameBytes: number;
  byteTimeUs: number;
  lineRateLimitPerSecond: number;
  highestSustainedPerSecond: number;
  fractionOfLineRate: number;
  trials: number;
  windowMs: number;
  tried: RateTrial[];
}

async function tryRate(options: { boardId: string; bundlePath: string; seed: number; windowMs: number }, fraction: number, frameMs: number): Promise<RateTrial> {
  const target = new SimTarget({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config: benchConfig(options.seed, options.boardId) });
  const session = new Session(target);
  await session.bringUp();
  session.stopHeartbeats();
  session.seq = Math.max(session.seq, SEQUENCE_BASE);
  const device = target.simulation.board.profile.links.host.device;
  let acked = 0;
  let refused = 0;
  target.onLine((link, text) => {
    if (link !== "host") return;
    if (text.startsWith("ACK ")) acked++;
    if (text.startsWith("ERR ") || text.startsWith("LEVEL ")) refused++;
  });
  const intervalMs = frameMs / fraction;
  const count = Math.floor(options.windowMs / intervalMs);
  const startMs = target.nowMs();
  for (let index = 0; index < count; index++) {
    await target.wait(startMs + index * intervalMs - target.nowMs());
    session.heartbeat();
    if (target.timeline.events.length > 10_000) target.timeline.clear();
  }
  const backlogBytes = target.simulation.board.mcu.uart(device)!.rxLine.pendingBytes;
  await target.wait(500);
  await target.close();
  const sustained = acked === count && refused === 0 && session.level === 0 && backlogBytes < 2 * frameMs / byteTimeMs(115200);
  return { fraction, perSecond: 1000 / intervalMs, sent: count, acked, refused, backlogBytes, sustained };
}

export async function heartbeatRate(options: { boardId: string; bundlePath: string; seed: number; windowMs: number; log: (line: string) => void }): Promise<HeartbeatRateResult> {
  const baud = loadProfile(options.boardId).links.host.baud;
  const config = benchConfig(options.seed, options.boardId);
  const frameBytes = `HB ${"0".repeat(8)} ${SEQUENCE_BASE} 0 ${config.measurements[0]} ${"0".repeat(32)}\n`.length;
  const frameMs = frameBytes * byteTimeMs(baud);
  const tried: RateTrial[] = [];
  for (const fraction of RATE_FRACTIONS) {
    tried.push(await tryRate(options, fraction, frameMs));
    const last = tried.at(-1)!;
    options.log(`heartbeat rate: ${(fraction * 100).toFixed(0)}% of line rate (${last.perSecond.toFixed(1)}/s): ${last.sustained ? "sustained" : "NOT sustained"} (${last.acked}/${last.sent} ACKed, ${last.refused} refused, backlog ${last.backlogBytes} B)`);
  }
  const best = tried.filter((trial) => trial.sustained).at(-1);
  return {
    frameBytes, byteTimeUs: byteTimeMs(baud) * 1000, lineRateLimitPerSecond: 1000 / frameMs,
    highestSustainedPerSecond: best?.perSecond ?? 0, fractionOfLineRate: best?.fraction ?? 0,
    trials: tried.reduce((sum, trial) => sum + trial.sent, 0), windowMs: options.windowMs, tried,
  };
}
