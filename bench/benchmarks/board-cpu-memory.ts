/**
 * board_cpu_memory: what each board's CPU and memory allow, from the simulator's calibrated
 * models (docs/simulator.md), in virtual time:
 * - the firmware's work on the board's clock: one heartbeat, one control cycle, start();
 * - the highest heartbeat rate the CPU sustains (what the control cycles leave, spent on
 *   heartbeats), next to the host link's line-rate limit;
 * - trip latency under load: heartbeats stop, and while the deadline passes both links carry
 *   a stream of bytes the firmware must read (no line end, so no frame to refuse); from the
 *   deadline to the first coil losing current;
 * - the firmware's blocks after boot and at the upload's peak, uploaded with save() and as
 *   boot code.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadProfile } from "../../hardware/profile.ts";
import { bundleFigures, type BundleFigures } from "../../simulator/memory/board-figures.ts";
import { clockMhz } from "../../simulator/runtime/cpu.ts";
import { firmwareCpuFigures } from "../../simulator/testing/cpu-figures.ts";
import { FirmwareRig, rigConfig } from "../../simulator/testing/firmware-rig.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";

export const CPU_BOARDS = ["PICO", "WIFI", "MDBT42Q", "ESP32"];
/** Bytes of load on each link every LOAD_PERIOD_MS while the deadline passes (a 115200-baud line carries ~58 in 5 ms). */
const LOAD_BYTES = 16;
const LOAD_PERIOD_MS = 5;

export interface BoardCpuMemory {
  board: string;
  mhz: number;
  heartbeatMs: number;
  controlCycleMs: number;
  startMs: number;
  /** Share of the CPU the control cycle takes at the configured cycle period. */
  controlCycleLoad: number;
  cpuLimitHeartbeatsPerSecond: number;
  lineRateLimitPerSecond: number;
  /** Deadline to the first coil off, with load on both links; undefined when the board never tripped. */
  tripUnderLoadMs: number | undefined;
  memory: { save: BundleFigures; bootcode: BundleFigures };
}

export interface BoardCpuMemoryResult {
  trials: number;
  boards: BoardCpuMemory[];
  /** Boards whose figures could not be taken, with why. */
  failed: { board: string; error: string }[];
}

async function tripUnderLoad(boardId: string): Promise<{ tripMs: number | undefined; frameBytes: number }> {
  const rig = await FirmwareRig.start({ boardId, cpuModel: true });
  rig.advance(2000);
  const frameBytes = rig.heartbeat(0, { seq: 1 }).length;
  rig.heartbeats(2000, 200);
  const lastHeartbeatMs = rig.nowMs - 200;
  const deadlineMs = lastHeartbeatMs + rig.config.deadlineMs[0];
  let coilOffMs: number | undefined;
  rig.sim.board.onWorldEvent((event) => {
    if (event.type === "coil" && !event.energised && coilOffMs === undefined) coilOffMs = event.atMs;
  });
  const load = "x".repeat(LOAD_BYTES);
  while (coilOffMs === undefined && rig.nowMs < deadlineMs + 2000) {
    rig.sendHost(load);
    rig.sendOps(load);
    rig.advance(LOAD_PERIOD_MS);
  }
  return { tripMs: coilOffMs === undefined ? undefined : coilOffMs - deadlineMs, frameBytes };
}

export async function boardCpuMemory(options: { bundlePath: string }): Promise<BoardCpuMemoryResult> {
  const boards: BoardCpuMemory[] = [];
  const failed: BoardCpuMemoryResult["failed"] = [];
  for (const boardId of CPU_BOARDS) {
    const path = join(dirname(options.bundlePath), `firmware-${boardId}.js`);
    if (!existsSync(path)) {
      failed.push({ board: boardId, error: `no ${path}: build it with make build BOARD=${boardId}` });
      continue;
    }
    try {
      boards.push(await boardFigures(boardId, readFileSync(path, "utf8")));
    } catch (error) {
      failed.push({ board: boardId, error: (error as Error).message });
    }
  }
  return { trials: boards.length, boards, failed };
}

async function boardFigures(boardId: string, code: string): Promise<BoardCpuMemory> {
  const profile = loadProfile(boardId);
  const mhz = clockMhz(profile);
  const cpu = await firmwareCpuFigures(code, boardId);
  const ms = (cycles: number) => cycles / (mhz * 1000);
  const controlCycleLoad = ms(cpu.controlCycleCycles) / rigConfig().cycleMs;
  const trip = await tripUnderLoad(boardId);
  return {
      board: boardId,
      mhz,
      heartbeatMs: ms(cpu.heartbeatCycles),
      controlCycleMs: ms(cpu.controlCycleCycles),
      startMs: ms(cpu.startCycles),
      controlCycleLoad,
      cpuLimitHeartbeatsPerSecond: Math.max(0, 1 - controlCycleLoad) * (1000 / ms(cpu.heartbeatCycles)),
      lineRateLimitPerSecond: 1000 / (trip.frameBytes * byteTimeMs(profile.links.host.baud)),
      tripUnderLoadMs: trip.tripMs,
    memory: { save: bundleFigures(code, profile, "ram", rigConfig()), bootcode: bundleFigures(code, profile, "bootcode", rigConfig()) },
  };
}
