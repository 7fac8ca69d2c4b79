/**
 * A hardware-in-the-loop bench without hardware: the board under test and the bench probe as
 * two simulated boards in real time, wired as hardware/probe.md wires them
 * (simulator/wiring/probe-wiring.ts). Each has its own ports exactly as a real one: the
 * controller its host-link and ops-link ptys and its programming console (TCP for the espruino
 * tool, and a pty); the probe its console, which is its USB port, where the bench uploads the
 * probe firmware. The probe's clock drifts from the controller's by `driftPpm`.
 *
 * The controller starts provisioned with `config` (as `guillotine provision` would leave it)
 * and unpowered: like the real bench, it gets power when the probe program drives K9, so
 * `guillotine bench run --target serial` against these ports starts it as it would a real one.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ControllerConfig } from "../protocol/config.ts";
import { RealClock } from "./clock.ts";
import { cleanupOnExit } from "./io/exit-cleanup.ts";
import { startSimulator, type RunningSimulator } from "./io/sim-process.ts";
import { Rng } from "./rng.ts";
import { DriftingClock } from "./wiring/drifting-clock.ts";
import { probeBoardProfile, wireProbe } from "./wiring/probe-wiring.ts";

/** A cheap crystal is good to +-50 ppm; twice that makes drift visible within one bench run. */
export const PAIR_DRIFT_PPM_DEFAULT = 100;

/**
 * The link allowance the pair's bench command asks for (--link-allowance-ms): real-time
 * simulated boards sharing a busy machine run their timers tens of ms late, which a real
 * controller would not (seen: 78 ms past a deadline at a load average of 6 on 2 cores, where
 * 50 ms were allowed); the pair tests the bench end to end, virtual time tests the timing.
 */
export const PAIR_LINK_ALLOWANCE_MS = 150;

export interface BenchPairOptions {
  /** The controller's board profile, e.g. "PICO". */
  boardId: string;
  /** The controller's firmware, stored as its saved program (dist/firmware-<BOARD>.js). */
  bundlePath: string;
  /** The configuration it is provisioned with; written beside the ports for --config. */
  config: ControllerConfig;
  seed?: number;
  /** How much faster the probe's clock runs than the controller's (negative: slower). */
  driftPpm?: number;
  onDiagnostic?: (text: string) => void;
}

/** What `guillotine sim --pair` prints: every port of both boards and the bench command that uses them. */
export interface BenchPairEndpoints {
  board: string;
  seed: number;
  driftPpm: number;
  dut: { console: string; consolePty: string; host: string; ops: string; control: string };
  probe: { console: string; consolePty: string; control: string };
  /** The provisioned configuration with its keys (0600), for --config. */
  config: string;
  /** The command that runs the bench against this pair. */
  bench: string;
  pid: number;
}

export interface RunningBenchPair {
  readonly endpoints: BenchPairEndpoints;
  readonly dut: RunningSimulator;
  readonly probe: RunningSimulator;
  close(): Promise<void>;
}

export async function startBenchPair(options: BenchPairOptions): Promise<RunningBenchPair> {
  const seed = options.seed ?? Rng.randomSeed();
  const driftPpm = options.driftPpm ?? PAIR_DRIFT_PPM_DEFAULT;
  const clock = new RealClock();
  const directory = mkdtempSync(join(tmpdir(), `guillotine-pair-${process.pid}-`));
  const forgetDirectory = cleanupOnExit(() => rmSync(directory, { recursive: true, force: true }));
  const closers: (() => Promise<void> | void)[] = [() => clock.dispose(), () => rmSync(directory, { recursive: true, force: true }), forgetDirectory];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const configPath = join(directory, "controller.json");
    writeFileSync(configPath, JSON.stringify(options.config, null, 2) + "\n", { mode: 0o600 });
    chmodSync(configPath, 0o600);
    const rng = new Rng(seed);
    const dut = await startSimulator({
      boardId: options.boardId, loadFile: options.bundlePath, seed: rng.derive("dut").seed, clock, powerOn: false,
      config: options.config,
      onDiagnostic: options.onDiagnostic && ((text) => options.onDiagnostic!(`controller: ${text}`)),
    });
    closers.push(() => dut.close());
    const probe = await startSimulator({
      boardId: "probe", profile: probeBoardProfile(), seed: rng.derive("probe").seed, clock: new DriftingClock(clock, driftPpm),
      onDiagnostic: options.onDiagnostic && ((text) => options.onDiagnostic!(`probe: ${text}`)),
    });
    closers.push(() => probe.close());
    wireProbe(dut.board, probe.board);
    const d = dut.endpoints;
    const endpoints: BenchPairEndpoints = {
      board: d.board, seed, driftPpm,
      dut: { console: d.console, consolePty: d.consolePty, host: d.host, ops: d.ops, control: d.control },
      probe: { console: probe.endpoints.console, consolePty: probe.endpoints.consolePty, control: probe.endpoints.control },
      config: configPath,
      bench: `guillotine bench run --target serial --board ${d.board} --host ${d.host} --ops ${d.ops} --probe ${probe.endpoints.consolePty} --config ${configPath} --link-allowance-ms ${PAIR_LINK_ALLOWANCE_MS}`,
      pid: process.pid,
    };
    let closing: Promise<void> | undefined;
    return { endpoints, dut, probe, close: () => (closing ??= closeAll()) };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
