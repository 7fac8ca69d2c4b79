/**
 * Opens a real board for `bench run --target serial`: checks every option first and refuses
 * with the full list of what is missing, opens the host, ops and probe ports, uploads the
 * probe firmware and correlates clocks. One set of ports serves every scenario; before each,
 * freshStart() power-cycles the controller through the probe, and the scenario gets its own
 * timeline.
 */
import { CommandError } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_UNREACHABLE, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { KeyFileError } from "../../kit/key-file.ts";
import { ConfigFileError, prepareConfig } from "../../ops/provision/config-file.ts";
import { openSerialStream } from "../../kit/transport/serial.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { PROBE } from "../../hardware/probe-pins.ts";
import { boardWatchdogMs } from "../harness/config.ts";
import { buildProbe } from "../probe/build-probe.ts";
import { ProbeClient } from "../probe/probe-client.ts";
import type { ProbeClock } from "../runner/results.ts";
import type { OpenedTarget } from "../runner/run-scenarios.ts";
import { LEVEL_OFFLINE } from "../../protocol/constants.ts";
import { REPLY_WAIT_MS, Session } from "../harness/session.ts";
import { REAL_LINK_LATENCY_ALLOWANCE_MS } from "./target.ts";
import { BOOT_WAIT_MS, SerialTarget, type SerialBench } from "./serial-target.ts";

export interface SerialOptions {
  board: string;
  host?: string;
  ops?: string;
  probe?: string;
  config?: string;
  "host-key"?: string;
  "operator-key": string[];
  baud: string;
  "link-allowance-ms"?: string;
}

export const SERIAL_OPTIONS_HELP = `
options of --target serial (a real controller wired to the probe, hardware/probe.md):
  --host PORT          the controller's host link (e.g. /dev/ttyUSB0)
  --ops PORT           the controller's ops link (e.g. /dev/ttyUSB1)
  --probe PORT         the probe Espruino's USB port (e.g. /dev/ttyACM1); the bench uploads
                       hardware/probe-firmware/probe.ts to it
  --config FILE        the configuration the controller was provisioned with (the bench signs
                       heartbeats and operator approvals with its keys)
  --host-key FILE, --operator-key FILE ...   keys kept apart from FILE, as for provision
  --baud N             link speed (default 115200)
  --link-allowance-ms N   how much later than its send time a frame may reach the controller
                       (default ${REAL_LINK_LATENCY_ALLOWANCE_MS}: wire time and USB); raise it for adapters with a
                       latency timer, and for the simulated pair on a busy machine
Never run it against a controller wired to real actuators or a real server.`;

/** The options --target serial cannot do without; refuses naming every one missing. */
export function requireSerialOptions(options: SerialOptions): { host: string; ops: string; probe: string; config: string } {
  const missing = (["host", "ops", "probe", "config"] as const).filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    throw new CommandError(EXIT_USAGE, `--target serial needs ${missing.map((name) => `--${name}`).join(", ")}: the controller's host and ops link ports, the probe's USB port and the provisioned configuration (see --help). Without a bench, use --target sim.`);
  }
  return options as { host: string; ops: string; probe: string; config: string };
}

async function open(path: string, baud: number, role: string) {
  try {
    return await openSerialStream(path, baud);
  } catch (error) {
    throw new CommandError(EXIT_UNREACHABLE, `${role} ${(error as Error).message}`);
  }
}

/** The probe clock's correlation as the report shows it. */
export function probeClockOf(bench: SerialBench): ProbeClock | undefined {
  const { offset } = bench.probe;
  return offset === undefined ? undefined : { offsetMs: offset.offsetMs, uncertaintyMs: offset.uncertaintyMs, driftPpm: offset.driftPpm, correlations: bench.probe.correlationCount };
}

/** How long the controller stays unpowered between scenarios: its supply capacitors drain, its RAM is gone. */
export const POWER_OFF_MS = 300;

/**
 * Brings the controller to where a freshly provisioned simulated board starts each scenario:
 * no fault switch on, both loops closed, just booted, at offline or above (a boot into a persisted lower level is
 * raised by a heartbeat asking for offline, which any host may do), no heartbeats flowing; and
 * correlates the probe's clock again (its drift is fitted across these correlations).
 * Throws naming what did not happen.
 */
export async function freshStart(bench: SerialBench): Promise<void> {
  const prep = new SerialTarget(bench);
  try {
    const session = new Session(prep);
    await bench.probe.clearFaults();
    await prep.press("estop", false);
    await prep.press("tamper", false);
    await prep.power(false);
    await prep.wait(POWER_OFF_MS);
    const onMs = prep.nowMs();
    await prep.power(true);
    const booted = await prep.waitUntil(() => prep.timeline.first("rx", onMs, (e) => e.link === "host" && e.text.startsWith("HELLO ")) !== undefined, BOOT_WAIT_MS);
    if (!booted) throw new Error(`the controller sent no HELLO on --host within ${BOOT_WAIT_MS} ms of power-on through the probe's supply relay: check --host, the K9 wiring and that the controller is flashed and provisioned`);
    if (session.level < LEVEL_OFFLINE) {
      session.heartbeat({ level: LEVEL_OFFLINE });
      const raised = await prep.waitUntil(() => session.level >= LEVEL_OFFLINE, REPLY_WAIT_MS);
      if (!raised) throw new Error(`the controller booted at level ${session.level} and did not accept a heartbeat asking for offline: is --config the configuration it was provisioned with?`);
    }
    await bench.probe.correlate();
  } finally {
    await prep.close();
  }
}

export async function openSerialTargets(options: SerialOptions): Promise<{ open: () => Promise<OpenedTarget>; close: () => Promise<void>; bench: SerialBench }> {
  const given = requireSerialOptions(options);
  let prepared;
  try {
    prepared = prepareConfig(given.config, { hostKeyFile: options["host-key"], operatorKeyFiles: options["operator-key"] });
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof KeyFileError) throw new CommandError(EXIT_CONFIG, error.message);
    throw error;
  }
  const baud = Number(options.baud);
  const linkAllowanceMs = options["link-allowance-ms"] === undefined ? REAL_LINK_LATENCY_ALLOWANCE_MS : Number(options["link-allowance-ms"]);
  if (!Number.isFinite(linkAllowanceMs) || linkAllowanceMs < 0 || linkAllowanceMs > 1000) throw new CommandError(EXIT_USAGE, `--link-allowance-ms must be a number of ms from 0 to 1000, got ${options["link-allowance-ms"]}`);
  const originMs = performance.now();
  const host = await open(given.host, baud, "--host:");
  const ops = await open(given.ops, baud, "--ops:");
  const probePort = await open(given.probe, 115200, "--probe:");
  const closeAll = async (): Promise<void> => void [host, ops, probePort].forEach((port) => port.destroy());
  try {
    const probe = new ProbeClient({ write: (data) => probePort.write(Buffer.from(data, "latin1")), onData: (listener) => probePort.on("data", (data: Buffer) => listener(data.toString("latin1"))) }, () => performance.now() - originMs);
    await probe.upload(await buildProbe());
    const offset = await probe.correlate();
    console.error(`probe: clock offset ${offset.offsetMs.toFixed(3)} ms +- ${offset.uncertaintyMs.toFixed(3)} ms over ${offset.samples} pings; sense pins ${PROBE.pathSensePins.join(",")}, coil taps ${PROBE.coilTapPins.join(",")}`);
    const profile = loadProfile(options.board);
    const bench: SerialBench = {
      links: { host, ops }, probe, config: prepared.config, pathKinds: profile.paths.map((p) => p.kind), coilPins: profile.paths.flatMap((p) => p.relays.map((relay) => relay.coil)),
      watchdogMs: boardWatchdogMs(options.board), originMs, linkAllowanceMs,
    };
    const open = async (): Promise<OpenedTarget> => {
      await freshStart(bench);
      return { target: new SerialTarget(bench), fresh: false };
    };
    // No fault switch stays on after the run: a weld bridge left on would outlive the bench.
    const close = async (): Promise<void> => {
      await probe.clearFaults().catch(() => {});
      await closeAll();
    };
    return { open, close, bench };
  } catch (error) {
    await closeAll();
    if (error instanceof CommandError) throw error;
    throw new CommandError(EXIT_UNREACHABLE, `probe on ${given.probe}: ${(error as Error).message}`);
  }
}
