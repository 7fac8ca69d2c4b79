/**
 * board_cpu_memory: what each board's CPU and memory allow, from the simulator's calibrated
 * models (docs/simulator.md), in virtual time:
 * - the firmware's work on the board's clock, measured as on the real interpreter
 *   (simulator/testing/cpu-figures.ts): a heartbeat, a control cycle, start();
 * - the highest heartbeat rate the board sustains (heartbeat_rate's bisection, on this
 *   board), next to the host link's line-rate limit;
 * - trip latency under load: heartbeats at that highest rate hold the controller at standard,
 *   then the last one; from then both links carry garbage at full line rate (no line end, so
 *   nothing to refuse or flood on: the firmware reads and discards it) while the deadline
 *   passes; from the deadline the firmware counts (its own last accepted heartbeat) to the
 *   first network coil losing current;
 * - the firmware's blocks after boot and at the upload's peak, uploaded with save() and as
 *   boot code.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadProfile } from "../../hardware/profile.ts";
import { bundleFigures, type BundleFigures } from "../../simulator/memory/board-figures.ts";
import { clockMhz } from "../../simulator/interpreter/cpu.ts";
import { cpuRatios, firmwareCpuFigures } from "../../simulator/testing/cpu-figures.ts";
import { FirmwareRig, rigConfig } from "../../simulator/testing/firmware-rig.ts";
import { byteTimeMs } from "../../simulator/world/serial-line.ts";
import { heartbeatRate } from "./heartbeat-rate.ts";
import { summarize, type Summary } from "./stats.ts";

export const CPU_BOARDS = ["PICO", "WIFI", "MDBT42Q", "ESP32"];
/** Deadlines every board's watchdog allows (the ESP32's rounds to whole seconds). */
const DEADLINES_MS = [1000, 1000, 3000];
/** Trips under load per board, the garbage starting at a different phase each time. */
export const TRIPS_UNDER_LOAD = 5;

export interface BoardCpuMemory {
  board: string;
  mhz: number;
  heartbeatMs: number;
  controlCycleMs: number;
  startMs: number;
  /** The same work as ratios to the two SHA-256 calls an HMAC needs (the unit of the goals: tag() 3x, a heartbeat 15x). */
  ratios: ReturnType<typeof cpuRatios>;
  /** Share of the CPU the control cycle takes at the configured cycle period. */
  controlCycleLoad: number;
  /** Highest heartbeat rate sustained on the simulated board (bisection, virtual time). */
  sustainedHeartbeatsPerSecond: number;
  lineRateLimitPerSecond: number;
  /** From the firmware's deadline to the first network coil off, with garbage at line rate on both links; undefined when no trial tripped at the deadline. */
  tripUnderLoadMs: Summary | undefined;
  /** Trials that did not trip at the deadline, with what happened instead. */
  tripUnderLoadProblems: string[];
  memory: { save: BundleFigures; bootcode: BundleFigures };
}

export interface BoardCpuMemoryResult {
  trials: number;
  boards: BoardCpuMemory[];
  /** Boards whose figures could not be taken, with why. */
  failed: { board: string; error: string }[];
}

/** One trip under load: the ms after the deadline, or why there was none at the deadline. */
async function tripUnderLoad(boardId: string, periodMs: number, phaseMs: number): Promise<{ tripMs: number } | { problem: string }> {
  const rig = await FirmwareRig.start({ boardId, config: rigConfig({ deadlineMs: DEADLINES_MS }) });
  rig.quorum(0);
  rig.heartbeats(2000, periodMs);
  rig.advance(phaseMs);
  rig.sendHost(rig.heartbeat());
  rig.reply("host", "ACK ");
  if (!rig.conducting("network").every(Boolean)) return { problem: `the paths did not close with heartbeats every ${periodMs.toFixed(1)} ms` };
  const levelsBefore = rig.lines("ops").filter((line) => line.startsWith("LEVEL ")).length;
  let coilOffMs: number | undefined;
  rig.sim.board.onWorldEvent((event) => {
    if (event.type === "coil" && !event.energised && event.relay < 2 && coilOffMs === undefined) coilOffMs = event.atMs;
  });
  // Garbage at 115200 baud's rate on both links until the coils drop, sent a millisecond's
  // worth at a time: a USB or Bluetooth link is not paced by a line, and its flow control
  // would hold a faster sender back.
  const bytesPerMs = 1 / byteTimeMs(rig.profile.links.host.baud);
  let sentBytes = 0;
  const startMs = rig.nowMs;
  rig.until(() => {
    const due = Math.floor((rig.nowMs - startMs) * bytesPerMs) - sentBytes;
    if (due > 0) {
      rig.sendHost("x".repeat(due));
      rig.sendOps("x".repeat(due));
      sentBytes += due;
    }
    return coilOffMs !== undefined;
  }, DEADLINES_MS[0] + 500, "the network coils to drop under load");
  const deadlineMs = rig.boardToClockMs(rig.firmware("firmware.controller.lastHeartbeatMs") as number) + DEADLINES_MS[0];
  rig.advance(100);
  const level = rig.lines("ops").filter((line) => line.startsWith("LEVEL "))[levelsBefore] ?? "";
  if (level !== "LEVEL 2 deadline") return { problem: `tripped ${(deadlineMs - coilOffMs!).toFixed(0)} ms before the deadline by ${JSON.stringify(level)}${rig.sim.board.snapshot().errorFlags.length > 0 ? ` (${rig.sim.board.snapshot().errorFlags.join(",")})` : ""}` };
  return { tripMs: coilOffMs! - deadlineMs };
}

export async function boardCpuMemory(options: { bundlePath: string; seed: number; rateWindowMs: number; rateSteps?: number; log: (line: string) => void }): Promise<BoardCpuMemoryResult> {
  const boards: BoardCpuMemory[] = [];
  const failed: BoardCpuMemoryResult["failed"] = [];
  for (const boardId of CPU_BOARDS) {
    const path = join(dirname(options.bundlePath), `firmware-${boardId}.js`);
    if (!existsSync(path)) {
      failed.push({ board: boardId, error: `no ${path}: build it with make build BOARD=${boardId}` });
      continue;
    }
    try {
      boards.push(await boardFigures(boardId, path, options));
    } catch (error) {
      failed.push({ board: boardId, error: (error as Error).message });
    }
  }
  return { trials: boards.length, boards, failed };
}

async function boardFigures(boardId: string, path: string, options: { seed: number; rateWindowMs: number; rateSteps?: number; log: (line: string) => void }): Promise<BoardCpuMemory> {
  const code = readFileSync(path, "utf8");
  const profile = loadProfile(boardId);
  const mhz = clockMhz(profile);
  const cpu = firmwareCpuFigures(code, boardId);
  const ms = (cycles: number) => cycles / (mhz * 1000);
  const config = rigConfig();
  const rate = await heartbeatRate({ boardId, bundlePath: path, seed: options.seed, windowMs: options.rateWindowMs, steps: options.rateSteps, log: options.log });
  const trips: number[] = [];
  const problems: string[] = [];
  if (rate.highestSustainedPerSecond > 0) {
    const periodMs = 1000 / rate.highestSustainedPerSecond;
    for (let trial = 0; trial < TRIPS_UNDER_LOAD; trial++) {
      const outcome = await tripUnderLoad(boardId, periodMs, (trial * periodMs) / TRIPS_UNDER_LOAD);
      if ("tripMs" in outcome) trips.push(outcome.tripMs);
      else problems.push(outcome.problem);
    }
  } else problems.push("no heartbeat rate sustained");
  options.log(`board_cpu_memory ${boardId}: sustains ${rate.highestSustainedPerSecond.toFixed(1)} heartbeats/s; trip under load ${trips.map((t) => t.toFixed(1)).join(", ")} ms${problems.length > 0 ? `; ${problems.join("; ")}` : ""}`);
  return {
    board: boardId,
    mhz,
    heartbeatMs: ms(cpu.heartbeatCycles),
    controlCycleMs: ms(cpu.controlCycleCycles),
    startMs: ms(cpu.startCycles),
    ratios: cpuRatios(cpu),
    controlCycleLoad: ms(cpu.controlCycleCycles) / config.cycleMs,
    sustainedHeartbeatsPerSecond: rate.highestSustainedPerSecond,
    lineRateLimitPerSecond: rate.lineRateLimitPerSecond,
    tripUnderLoadMs: trips.length > 0 ? summarize(trips) : undefined,
    tripUnderLoadProblems: problems,
    memory: { save: bundleFigures(code, profile, "ram", rigConfig()), bootcode: bundleFigures(code, profile, "bootcode", rigConfig()) },
  };
}
