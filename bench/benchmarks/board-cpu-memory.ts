/**
 * board_cpu_memory: what each board's CPU and memory allow, from the simulator's calibrated
 * models (docs/simulator.md), in virtual time:
 * - the firmware's work on the board's clock: one heartbeat, one control cycle, start();
 * - the highest heartbeat rate the CPU sustains (what the control cycles leave, spent on
 *   heartbeats), next to the host link's line-rate limit;
 * - trip latency under load: heartbeats at 80 % of what the CPU allows (at most the
 *   deadline apart) bring the controller to standard, then stop; while the deadline passes
 *   both links carry a stream of bytes the firmware must read (no line end, so no frame to
 *   refuse); from the deadline to the first coil losing current;
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
  /** Deadline to the first coil off, with load on both links; undefined when the paths never closed (the CPU could not hold standard). */
  tripUnderLoadMs: number | undefined;
  memory: { save: BundleFigures; bootcode: BundleFigures };
}

export interface BoardCpuMemoryResult {
  trials: number;
  boards: BoardCpuMemory[];
  /** Boards whose figures could not be taken, with why. */
  failed: { board: string; error: string }[];
}

/** Replies on a board this slow take tens of ms: the operators wait this long for each. */
const REPLY_WAIT_MS = 1000;

/**
 * Brings the controller to standard with heartbeats every `periodMs`, stops them, loads both
 * links, and measures from the deadline after the last heartbeat to the first coil off.
 * Undefined when the paths never closed (the CPU could not hold standard at that rate).
 */
async function tripUnderLoad(boardId: string, periodMs: number): Promise<{ tripMs: number | undefined; frameBytes: number }> {
  const rig = await FirmwareRig.start({ boardId, cpuModel: true });
  const frameBytes = rig.heartbeat(0, { seq: 1 }).length;
  rig.advance(2000);
  rig.heartbeats(2 * periodMs, periodMs);
  rig.sendOps("CHAL 0\n");
  rig.advance(REPLY_WAIT_MS);
  const nonce = rig.last("ops", "CHAL ").split(" ")[1];
  for (const operator of [0, 1]) {
    rig.sendOps(rig.auth(nonce, 0, operator));
    rig.advance(REPLY_WAIT_MS);
  }
  rig.heartbeats(5 * periodMs, periodMs);
  if (!rig.conducting("network").every(Boolean)) return { tripMs: undefined, frameBytes };
  const deadlineMs = rig.nowMs - periodMs + rig.config.deadlineMs[0];
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
  const config = rigConfig();
  const controlCycleLoad = ms(cpu.controlCycleCycles) / config.cycleMs;
  const cpuLimitHeartbeatsPerSecond = Math.max(0, 1 - controlCycleLoad) * (1000 / ms(cpu.heartbeatCycles));
  // Heartbeats at 80 % of what the CPU allows, and never further apart than the deadline.
  const periodMs = Math.min(config.deadlineMs[0] * 0.8, cpuLimitHeartbeatsPerSecond > 0 ? 1000 / (0.8 * cpuLimitHeartbeatsPerSecond) : Infinity);
  const trip = await tripUnderLoad(boardId, Math.max(periodMs, 100));
  return {
      board: boardId,
      mhz,
      heartbeatMs: ms(cpu.heartbeatCycles),
      controlCycleMs: ms(cpu.controlCycleCycles),
      startMs: ms(cpu.startCycles),
      controlCycleLoad,
      cpuLimitHeartbeatsPerSecond,
      lineRateLimitPerSecond: 1000 / (trip.frameBytes * byteTimeMs(profile.links.host.baud)),
      tripUnderLoadMs: trip.tripMs,
    memory: { save: bundleFigures(code, profile, "ram", rigConfig()), bootcode: bundleFigures(code, profile, "bootcode", rigConfig()) },
  };
}
