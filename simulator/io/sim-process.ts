/**
 * A simulated board running in real time, reachable from outside like a real one:
 * - host link and ops link: pty pairs whose peer ends the attester and operator tools open
 *   by path, as they would /dev/ttyACM0;
 * - programming port: the console on TCP (for the espruino tool) and on a pty;
 * - control socket: test controls (switches, faults, power) that the firmware never sees.
 *
 * The board starts like a new one, with nothing to run, unless given a bundle to load or a
 * state directory whose flash holds saved code. Everything it opens lives in one temporary
 * directory per process and is removed by close().
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadProfile } from "../../hardware/profile.ts";
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { RealClock, type Clock } from "../clock.ts";
import { Flash } from "../flash.ts";
import { BOOT_CODE_FILE, SAVED_CODE_FILE } from "../../protocol/storage-names.ts";
import { Rng } from "../rng.ts";
import { Repl } from "../repl/repl.ts";
import { flashCapacityBytes, provisionFlash } from "../simulation.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { SimulatedBoard, type WorldEvent } from "../simulated-board.ts";
import { startConsoleServer, type ConsoleServer } from "./console-server.ts";
import { startControlServer, type ControlServer } from "./control-server.ts";
import { cleanupOnExit } from "./exit-cleanup.ts";
import { consoleEndpoint, openSimulatedLink, serialEndpoint, type ByteEndpoint, type SimulatedLink } from "./link-bridge.ts";
import { lockStateDirectory } from "./state-lock.ts";

/** Nominal speed of the console pty; a pty ignores it, the board paces its own console. */
const CONSOLE_PTY_BAUD = 115200;

/** Longest a firmware callback may run before the simulator treats the board as hung. */
const CALLBACK_TIMEOUT_MS = 1000;

export interface SimulatorOptions {
  /** Board profile id, e.g. "PICO". */
  boardId: string;
  /** Keeps flash across runs; undefined: flash in memory only. */
  stateDir?: string;
  /** Bundle stored as saved code before power-on (as `make flash` would). */
  loadFile?: string;
  seed?: number;
  /** Speed of serial lines the firmware sets up without a baud rate. */
  baud?: number;
  /** TCP port of the console; 0 or undefined picks a free one. */
  consolePort?: number;
  /** Called for firmware trouble worth a human's attention (uncaught errors, missing APIs). */
  onDiagnostic?: (text: string) => void;
  /** A profile other than hardware/profiles/<boardId>.json (the bench probe's bare Pico). */
  profile?: BoardProfile;
  /** A clock shared with another board (simulator/bench-pair.ts); its owner disposes it. Default: a RealClock of its own. */
  clock?: Clock;
  /** Leave the board unpowered (its supply is switched from outside, as the probe's K9 does). */
  powerOn?: boolean;
  /** A configuration to provision before power-on, as `guillotine provision` stores it. */
  config?: ControllerConfig;
  /**
   * Wraps the host link's endpoint, to observe what goes into the board (the bench's
   * real-time rig notes when each line is due at the controller).
   */
  hostTap?: (endpoint: ByteEndpoint, board: SimulatedBoard) => ByteEndpoint;
  /**
   * The CPU-time model (docs/simulator.md). Off by default here, on wall-clock time: the host
   * tools' tests still wait as for a board that takes no time (docs/simulator.md, "Where it is
   * off"); the virtual-time simulator has it on.
   */
  cpuModel?: boolean;
}

/** What `guillotine sim` prints: where to reach the running board. */
export interface SimulatorEndpoints {
  board: string;
  seed: number;
  /** `tcp://127.0.0.1:PORT`: give it to `guillotine flash --port` or `espruino -p`. */
  console: string;
  consolePty: string;
  host: string;
  ops: string;
  control: string;
  stateDir: string | null;
  /** What the board booted: "empty" (a new board), "saved" (code in its flash) or "loaded" (--load). */
  firmware: "empty" | "saved" | "loaded";
  pid: number;
}

export interface RunningSimulator {
  readonly endpoints: SimulatorEndpoints;
  readonly board: SimulatedBoard;
  /** Stops serving, powers the board off and removes ptys, sockets and the run directory. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const profile = options.profile ?? loadProfile(options.boardId);
  const seed = options.seed ?? Rng.randomSeed();
  const runDirectory = mkdtempSync(join(tmpdir(), `guillotine-sim-${profile.id}-${process.pid}-`));
  const forgetRunDirectory = cleanupOnExit(() => rmSync(runDirectory, { recursive: true, force: true }));
  const stateDir = options.stateDir === undefined ? undefined : resolve(options.stateDir);
  const closers: (() => Promise<void> | void)[] = [() => rmSync(runDirectory, { recursive: true, force: true }), forgetRunDirectory];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    if (stateDir !== undefined) closers.push(lockStateDirectory(stateDir));
    const flash = new Flash({ stateDirectory: stateDir, seed, capacityBytes: flashCapacityBytes(profile) });
    let clock = options.clock;
    if (clock === undefined) {
      const own = new RealClock();
      closers.push(() => own.dispose());
      clock = own;
    }
    // A firmware loop that never returns is a hang for the watchdog to catch, not a frozen process.
    const board = new SimulatedBoard({ profile, clock, flash, seed, baud: options.baud, callbackTimeoutMs: CALLBACK_TIMEOUT_MS, cpuModel: options.cpuModel ?? false });
    board.attachRepl(new Repl(board));
    if (options.onDiagnostic !== undefined) board.onWorldEvent(diagnostics(options.onDiagnostic));
    const firmware = options.loadFile !== undefined ? "loaded" : flash.has(SAVED_CODE_FILE) || flash.has(BOOT_CODE_FILE) ? "saved" : "empty";
    if (options.loadFile !== undefined) board.flashBundle(readFileSync(options.loadFile, "utf8"));
    if (options.config !== undefined) provisionFlash(flash, options.config);
    if (options.powerOn !== false) board.powerOn();
    closers.push(() => board.powerOff());

    const open = async <T extends { close(): Promise<void> }>(started: Promise<T>): Promise<T> => {
      const server = await started;
      closers.push(() => server.close());
      return server;
    };
    const link = (name: "host" | "ops") => {
      const endpoint = serialEndpoint(board, profile.links[name].device);
      const tapped = name === "host" && options.hostTap !== undefined ? options.hostTap(endpoint, board) : endpoint;
      return open<SimulatedLink>(openSimulatedLink({ endpoint: tapped, directory: runDirectory, name, baud: profile.links[name].baud }));
    };
    const host = await link("host");
    const ops = await link("ops");
    const consoleServer = await open<ConsoleServer>(startConsoleServer({ endpoint: consoleEndpoint(board), directory: runDirectory, tcpPort: options.consolePort, baud: CONSOLE_PTY_BAUD }));
    const control = await open<ControlServer>(startControlServer({ board, path: join(runDirectory, "control.sock") }));

    const endpoints: SimulatorEndpoints = {
      board: profile.id,
      seed,
      console: consoleServer.url,
      consolePty: consoleServer.ptyPath,
      host: host.peerPath,
      ops: ops.peerPath,
      control: control.path,
      stateDir: stateDir ?? null,
      firmware,
      pid: process.pid,
    };
    let closing: Promise<void> | undefined;
    return { endpoints, board, close: () => (closing ??= closeAll()) };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function diagnostics(report: (text: string) => void): (event: WorldEvent) => void {
  return (event) => {
    if (event.type === "uncaught") report(`firmware error at ${Math.round(event.atMs)} ms: ${event.text}`);
    else if (event.type === "unimplemented") report(`the firmware called ${event.api}, which the simulator does not implement`);
  };
}
