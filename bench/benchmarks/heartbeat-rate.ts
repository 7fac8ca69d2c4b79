/**
 * heartbeat_rate: the highest heartbeat rate the controller sustains on its 115200-baud host
 * link with no frame rejected, next to the line-rate limit (one frame per bytes x 86.8 us).
 * Virtual time, paced line, the board's CPU-time model on (docs/simulator.md): a tried rate
 * sends heartbeats for a window; it is sustained when every one is ACKed, none refused, the
 * level stays standard, the last frame went out on time (a callback runs to its end, so a CPU
 * slower than the rate holds the sender back) and neither the line nor the board's input
 * queue holds more than two frames at the end (above what the line allows, both grow). The highest is found
 * by bisection between nothing and 110 % of line rate; on every board the CPU, not the line,
 * is the limit.
 */
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { benchConfig } from "../harness/config.ts";
import { Session } from "../harness/session.ts";
import { SimTarget } from "../targets/sim-target.ts";

/** Bisection steps: the highest sustained rate to within 110 % / 2^steps of line rate. */
export const RATE_STEPS = 7;
const FRACTION_MAX = 1.1;
/** Sequence numbers from here have 7 digits, so every frame has the same length. */
const SEQUENCE_BASE = 1_000_000;

export interface RateTrial {
  fraction: number;
  perSecond: number;
  sent: number;
  acked: number;
  refused: number;
  backlogBytes: number;
  /** How much later than its time the last frame went out (the board held the sender back). */
  lateMs: number;
  sustained: boolean;
}

export interface HeartbeatRateResult {
  board: string;
  frameBytes: number;
  byteTimeUs: number;
  lineRateLimitPerSecond: number;
  highestSustainedPerSecond: number;
  fractionOfLineRate: number;
  trials: number;
  windowMs: number;
  tried: RateTrial[];
}

interface RateOptions {
  boardId: string;
  bundlePath: string;
  seed: number;
  windowMs: number;
}

async function tryRate(options: RateOptions, fraction: number, frameMs: number): Promise<RateTrial> {
  const target = new SimTarget({ boardId: options.boardId, seed: options.seed, bundlePath: options.bundlePath, config: benchConfig(options.seed, options.boardId) });
  const session = new Session(target);
  await session.bringUp();
  session.stopHeartbeats();
  session.seq = Math.max(session.seq, SEQUENCE_BASE);
  const board = target.simulation.board;
  const device = board.profile.links.host.device;
  let acked = 0;
  let refused = 0;
  target.onLine((link, text) => {
    if (link !== "host") return;
    // Only the window's own (the bring-up's last ACKs may still arrive).
    if (text.startsWith("ACK ") && Number(text.split(" ")[1]) > SEQUENCE_BASE) acked++;
    if (text.startsWith("ERR ") || text.startsWith("LEVEL ")) refused++;
  });
  const intervalMs = frameMs / fraction;
  const count = Math.floor(options.windowMs / intervalMs);
  const startMs = target.nowMs();
  for (let index = 0; index < count; index++) {
    // When a callback ran past the send time, the next frame goes at once.
    await target.wait(Math.max(0, startMs + index * intervalMs - target.nowMs()));
    session.heartbeat();
    if (target.timeline.events.length > 10_000) target.timeline.clear();
  }
  const backlogBytes = board.mcu.uart(device)!.rxLine.pendingBytes + board.mcu.rxQueue.used;
  // A callback runs to its end, so a board slower than the rate holds the sender back: then
  // the frames went out late, not at the rate tried.
  const lateMs = target.nowMs() - (startMs + (count - 1) * intervalMs);
  await target.wait(500);
  await target.close();
  const sustained = acked === count && refused === 0 && session.level === 0 && backlogBytes <= (2 * frameMs) / byteTimeMs(115200) && lateMs <= intervalMs;
  return { fraction, perSecond: 1000 / intervalMs, sent: count, acked, refused, backlogBytes, lateMs, sustained };
}

/** The highest sustained rate on `boardId`, by bisection of the fraction of line rate. */
export async function heartbeatRate(options: RateOptions & { log: (line: string) => void; steps?: number }): Promise<HeartbeatRateResult> {
  const baud = loadProfile(options.boardId).links.host.baud;
  const config = benchConfig(options.seed, options.boardId);
  const frameBytes = `HB ${"0".repeat(8)} ${SEQUENCE_BASE} 0 ${config.measurements[0]} ${"0".repeat(32)}\n`.length;
  const frameMs = frameBytes * byteTimeMs(baud);
  const tried: RateTrial[] = [];
  let low = 0;
  let high = FRACTION_MAX;
  for (let step = 0; step < (options.steps ?? RATE_STEPS); step++) {
    const fraction = (low + high) / 2;
    const trial = await tryRate(options, fraction, frameMs);
    tried.push(trial);
    if (trial.sustained) low = fraction;
    else high = fraction;
    options.log(`heartbeat rate ${options.boardId}: ${(fraction * 100).toFixed(1)}% of line rate (${trial.perSecond.toFixed(1)}/s): ${trial.sustained ? "sustained" : "NOT sustained"} (${trial.acked}/${trial.sent} ACKed, ${trial.refused} refused, backlog ${trial.backlogBytes} B, last frame ${trial.lateMs.toFixed(0)} ms late)`);
  }
  const best = tried.filter((trial) => trial.sustained).sort((a, b) => b.fraction - a.fraction)[0];
  return {
    board: options.boardId, frameBytes, byteTimeUs: byteTimeMs(baud) * 1000, lineRateLimitPerSecond: 1000 / frameMs,
    highestSustainedPerSecond: best?.perSecond ?? 0, fractionOfLineRate: best?.fraction ?? 0,
    trials: tried.reduce((sum, trial) => sum + trial.sent, 0), windowMs: options.windowMs, tried,
  };
}
