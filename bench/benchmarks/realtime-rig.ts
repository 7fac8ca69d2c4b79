/**
 * The simulated board on a RealClock with its links on ptys (as `guillotine sim` runs it),
 * built in process so the benchmarks can read world events with their exact board times. The
 * host link's endpoint also notes when the last byte of each line is due at the controller,
 * from the line's own pacing rule (simulator/world/serial-line.ts): that is the earliest the
 * controller can have accepted a heartbeat, so latencies measured from it are upper bounds.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ControllerConfig } from "../../protocol/config.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { RealClock } from "../../simulator/clock.ts";
import { Flash } from "../../simulator/flash.ts";
import { openSimulatedLink, serialEndpoint, type ByteEndpoint, type SimulatedLink } from "../../simulator/io/link-bridge.ts";
import { SimulatedBoard, type WorldEvent } from "../../simulator/simulated-board.ts";
import { flashCapacityBytes, provisionFlash } from "../../simulator/simulation.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";

/** Line due times kept; older ones are never needed (the benchmarks look at the last few). */
const DUE_TIMES_KEPT = 1000;

export interface RealtimeRig {
  clock: RealClock;
  board: SimulatedBoard;
  config: ControllerConfig;
  hostPath: string;
  opsPath: string;
  /** Board time each line's LF is due at the controller on the host link, oldest first. */
  hostLineDueMs: number[];
  events: WorldEvent[];
  close(): Promise<void>;
}

/** The host endpoint, noting the due time of every LF it passes to the board. */
function timedHostEndpoint(board: SimulatedBoard, device: string, baud: number, dueMs: number[]): ByteEndpoint {
  const byteMs = byteTimeMs(baud);
  const plain = serialEndpoint(board, device);
  let freeAtMs = 0;
  return {
    write(data) {
      const nowMs = board.clock.nowMs();
      const startMs = board.mcu.uart(device)!.rxLine.pendingBytes === 0 ? nowMs : freeAtMs;
      data.forEach((byte, index) => byte === 0x0a && dueMs.push(startMs + (index + 1) * byteMs));
      if (dueMs.length > DUE_TIMES_KEPT) dueMs.splice(0, dueMs.length - DUE_TIMES_KEPT);
      freeAtMs = startMs + data.length * byteMs;
      plain.write(data);
    },
    onData: plain.onData,
  };
}

/**
 * On real time the board is infinitely fast, as in `guillotine sim`: its only latency is the
 * host's (trip_latency_ms measures the host's timer jitter so). The CPU-bound figures run on
 * virtual time (board-cpu-memory.ts, heartbeat-rate.ts).
 */
export async function startRealtimeRig(options: { boardId: string; seed: number; bundlePath: string; config: ControllerConfig }): Promise<RealtimeRig> {
  const profile = loadProfile(options.boardId);
  const clock = new RealClock();
  const flash = new Flash({ capacityBytes: flashCapacityBytes(profile), seed: options.seed });
  provisionFlash(flash, options.config);
  const board = new SimulatedBoard({ profile, clock, flash, seed: options.seed, callbackTimeoutMs: 1000, cpuModel: false });
  board.flashBundle(readFileSync(options.bundlePath, "utf8"));
  const events: WorldEvent[] = [];
  board.onWorldEvent((event) => event.type !== "contact" && events.push(event));
  const directory = mkdtempSync(join(tmpdir(), "guillotine-bench-"));
  const hostLineDueMs: number[] = [];
  const links: SimulatedLink[] = [];
  const close = async (): Promise<void> => {
    for (const link of links) await link.close();
    board.powerOff();
    clock.dispose();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    board.powerOn();
    const host = await openSimulatedLink({ endpoint: timedHostEndpoint(board, profile.links.host.device, profile.links.host.baud, hostLineDueMs), directory, name: "host", baud: profile.links.host.baud });
    links.push(host);
    const ops = await openSimulatedLink({ endpoint: serialEndpoint(board, profile.links.ops.device), directory, name: "ops", baud: profile.links.ops.baud });
    links.push(ops);
    return { clock, board, config: options.config, hostPath: host.peerPath, opsPath: ops.peerPath, hostLineDueMs, events, close };
  } catch (error) {
    await close();
    throw error;
  }
}
