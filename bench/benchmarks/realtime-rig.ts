/**
 * The simulated board on real time with its links on ptys, as `guillotine sim` runs it
 * (`startSimulator`), kept in process so the benchmarks can read world events with their exact
 * board times. Its host-link tap also notes when the last byte of each line is due at the
 * controller, from the line's own pacing rule (simulator/world/serial-line.ts): that is the
 * earliest the controller can have accepted a heartbeat, so latencies measured from it are
 * upper bounds.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import { RealClock } from "../../simulator/clock.ts";
import type { ByteEndpoint } from "../../simulator/io/link-bridge.ts";
import { startSimulator } from "../../simulator/io/sim-process.ts";
import type { SimulatedBoard, WorldEvent } from "../../simulator/simulated-board.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import { loadProfile } from "../../hardware/profile.ts";

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

/** `plain`, noting the due time of every LF it passes to the board. */
function timedHostEndpoint(plain: ByteEndpoint, board: SimulatedBoard, device: string, baud: number, dueMs: number[]): ByteEndpoint {
  const byteMs = byteTimeMs(baud);
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
  const { host } = loadProfile(options.boardId).links;
  const clock = new RealClock();
  const hostLineDueMs: number[] = [];
  try {
    const sim = await startSimulator({
      boardId: options.boardId, seed: options.seed, loadFile: options.bundlePath, config: options.config, clock, powerOn: false,
      hostTap: (endpoint, board) => timedHostEndpoint(endpoint, board, host.device, host.baud, hostLineDueMs),
    });
    const events: WorldEvent[] = [];
    sim.board.onWorldEvent((event) => event.type !== "contact" && events.push(event));
    sim.board.powerOn();
    const close = async (): Promise<void> => {
      await sim.close();
      clock.dispose();
    };
    return { clock, board: sim.board, config: options.config, hostPath: sim.endpoints.host, opsPath: sim.endpoints.ops, hostLineDueMs, events, close };
  } catch (error) {
    clock.dispose();
    throw error;
  }
}
