/**
 * `guillotine sim`: runs the simulated board in real time and prints where to reach it;
 * `guillotine sim ctl ...`: sends one test control (switch, fault, power) to a running one.
 * `--pair` (the board under test and the bench probe, provisioned with the bench's
 * configuration) is the bench's: the CLI hands it in as `servePair`.
 */
import { notSocketProblem, regularFileStats } from "../../kit/input-file.ts";
import { boardProblem } from "../../kit/command/board-argument.ts";
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import type { BoardSnapshot } from "../simulated-board.ts";
import { sendControlRequest } from "./control-client.ts";
import { startSimulator, type SimulatorEndpoints } from "./sim-process.ts";
import { snapshotText } from "./snapshot-text.ts";
import { PAIR_DRIFT_PPM_DEFAULT } from "../bench-pair.ts";
import { EXIT_CONFIG, EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_USAGE } from "../../kit/command/exit-codes.ts";

export const summary = "run the simulated board (ptys, console, control socket), or control a running one";

export const help = `usage: guillotine sim --board ID [--state-dir DIR] [--load FILE] [--seed N] [--baud N]
                     [--console-port N] [--json]
       guillotine sim --pair --board ID [--load FILE] [--seed N] [--drift-ppm N] [--json]
       guillotine sim ctl COMMAND [ARGS] --control PATH [--json]

Runs the simulated board in real time until SIGINT/SIGTERM, and prints where to reach it:
the console (tcp://, for \`guillotine flash --port\` or \`espruino -p\`), the console pty, the
host-link and ops-link ptys (open them by path like /dev/ttyACM0) and the control socket.
The board starts empty, like a new board, unless --load is given or its state directory
holds saved code.

  --board ID          board profile (hardware/profiles/ID.json), e.g. PICO
  --state-dir DIR     keep the board's flash in DIR across runs (e.g. .sim-state/PICO);
                      default: flash in memory, lost on exit
  --load FILE         store FILE as the saved program before power-on (as flashing would),
                      e.g. dist/firmware-PICO.js
  --seed N            seed of every random choice (default: random, printed)
  --baud N            speed of serial lines the firmware sets up without a baud rate
  --console-port N    TCP port of the console on 127.0.0.1 (default: any free port)
  --json              print the endpoints as one JSON line instead of text

--pair runs a hardware-in-the-loop bench without hardware (docs/bench.md): the board under
test, provisioned with a bench configuration (keys derived from the seed, written to a 0600
file whose path is printed), and the bench probe on a second simulated Pico, wired as
hardware/probe.md wires them. It prints both boards' ports and the \`guillotine bench run
--target serial\` command that uses them. The controller stays unpowered until the probe
firmware drives its supply relay, as on a real bench.
  --load FILE         the controller's firmware (default dist/firmware-<BOARD>.js)
  --drift-ppm N       the probe's clock runs N ppm fast against the controller's (negative:
                      slow; default ${PAIR_DRIFT_PPM_DEFAULT})

Control commands (the control path is printed by \`guillotine sim\`; --control may also come
from GUILLOTINE_SIM_CONTROL):
  snapshot                       relays, contacts, paths, inputs, power (--json: everything)
  press INPUT on|off             estop, tamper, arm or maintenance
  fault KIND [--FIELD VALUE...]  inject a fault; e.g. fault weld --path net0 --relay 0,
                                 fault stuck --relay 3 --level 1, fault weld --relay 0 --off
                                 (kinds: weld, coil-open, stuck, power-loss, torn-write, hang,
                                 corrupt, noise, link-errors, flag, memory, or any kind of
                                 simulator/faults.ts)
  power on|off                   apply or remove power
  reset                          pulse the reset pin
  unplug LINK / replug LINK      pull or reconnect the cable of host, ops or console`;

/** Short names for fault kinds on the command line. */
const FAULT_ALIASES: Record<string, string> = {
  weld: "relay-welded",
  stuck: "feedback-stuck",
  "torn-write": "power-loss-during-write",
  hang: "firmware-hang",
  corrupt: "flash-corruption",
  noise: "serial-noise",
  flag: "error-flag",
  memory: "memory-pressure",
};

/** The options of `guillotine sim --pair`, checked. */
export interface PairOptions {
  boardId: string;
  loadFile?: string;
  seed?: number;
  driftPpm: number;
  json: boolean;
}

export async function run(argv: string[], servePair: (options: PairOptions) => Promise<number>): Promise<number> {
  if (argv[0] === "ctl") return runControl(argv.slice(1));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseCommandArgs(argv, {
      board: { type: "string" },
      "state-dir": { type: "string" },
      load: { type: "string" },
      seed: { type: "string" },
      baud: { type: "string" },
      "console-port": { type: "string" },
      json: { type: "boolean" },
      pair: { type: "boolean" },
      "drift-ppm": { type: "string" },
    }, 0));
  } catch (error) {
    return usageError((error as Error).message);
  }
  const boardError = boardProblem(values.board as string | undefined);
  if (boardError !== undefined || typeof values.board !== "string") return usageError(boardError ?? "--board needs a value");
  const numbers: Record<string, number | undefined> = {};
  for (const [flag, min, max] of [["seed", 0, 0xffffffff], ["baud", 1, 10_000_000], ["console-port", 0, 65535]] as const) {
    const text = values[flag];
    if (typeof text !== "string") continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) return usageError(`--${flag} must be a whole number from ${min} to ${max}, got ${text}`);
    numbers[flag] = value;
  }
  if (typeof values.load === "string") {
    try {
      regularFileStats(values.load, "--load file");
    } catch (error) {
      console.error(`guillotine sim: ${(error as Error).message}`);
      return EXIT_CONFIG;
    }
  }
  if (values.pair === true) {
    for (const flag of ["state-dir", "baud", "console-port"]) if (values[flag] !== undefined) return usageError(`--${flag} does not apply to --pair (both boards keep their flash in memory and pick free ports)`);
    const drift = values["drift-ppm"] === undefined ? PAIR_DRIFT_PPM_DEFAULT : Number(values["drift-ppm"]);
    if (!Number.isFinite(drift) || Math.abs(drift) > 10_000) return usageError(`--drift-ppm must be a number from -10000 to 10000, got ${values["drift-ppm"]}`);
    return servePair({ boardId: values.board, loadFile: values.load as string | undefined, seed: numbers.seed, driftPpm: drift, json: values.json === true });
  }
  if (values["drift-ppm"] !== undefined) return usageError("--drift-ppm needs --pair");
  return serve({
    boardId: values.board,
    stateDir: values["state-dir"] as string | undefined,
    loadFile: values.load as string | undefined,
    seed: numbers.seed,
    baud: numbers.baud,
    consolePort: numbers["console-port"],
    json: values.json === true,
  });
}

async function serve(options: Parameters<typeof startSimulator>[0] & { json: boolean }): Promise<number> {
  let simulator;
  try {
    simulator = await startSimulator({ ...options, onDiagnostic: (text) => console.error(`sim: ${text}`) });
  } catch (error) {
    console.error(`guillotine sim: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  console.log(options.json ? JSON.stringify(simulator.endpoints) : endpointsText(simulator.endpoints));
  return runUntilSignal(simulator, options.json);
}

/** Serves until SIGINT/SIGTERM, then closes everything it opened. */
export async function runUntilSignal(running: { close(): Promise<void> }, quiet: boolean): Promise<number> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // A second signal during shutdown ends the process at once (exit cleanup kills socat).
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      resolve(received);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await running.close();
  if (!quiet) console.error(`sim: stopped on ${signal}; ptys, sockets and socat are gone`);
  return EXIT_OK;
}

function endpointsText(endpoints: SimulatorEndpoints): string {
  const firmware = { empty: "nothing (a new board: flash it)", saved: "the code saved in its flash", loaded: "the --load file" }[endpoints.firmware];
  return [
    `Simulated ${endpoints.board} running (seed ${endpoints.seed}, pid ${endpoints.pid}); it boots ${firmware}.`,
    `  console      ${endpoints.console}   guillotine flash --board ${endpoints.board} --port ${endpoints.console}`,
    `  console pty  ${endpoints.consolePty}`,
    `  host link    ${endpoints.host}`,
    `  ops link     ${endpoints.ops}`,
    `  control      ${endpoints.control}   guillotine sim ctl snapshot --control ${endpoints.control}`,
    `  state dir    ${endpoints.stateDir ?? "none (flash in memory)"}`,
    "Stop with Ctrl-C.",
  ].join("\n");
}

async function runControl(argv: string[]): Promise<number> {
  let control = process.env.GUILLOTINE_SIM_CONTROL;
  let json = false;
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === "--control") control = argv[++index];
    else if (argv[index] === "--json") json = true;
    else if (argv[index] === "--help" || argv[index] === "-h") {
      console.log(help);
      return EXIT_OK;
    } else rest.push(argv[index]);
  }
  if (control === undefined) return usageError("--control PATH is missing: pass the control path that `guillotine sim` printed");
  let request: Record<string, unknown>;
  try {
    request = controlRequest(rest);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const notSocket = notSocketProblem(control, "--control");
  if (notSocket !== undefined) {
    console.error(`guillotine sim ctl: ${notSocket} (the control path that \`guillotine sim\` printed)`);
    return EXIT_UNREACHABLE;
  }
  let reply;
  try {
    reply = await sendControlRequest(control, request);
  } catch (error) {
    console.error(`guillotine sim ctl: ${(error as Error).message}`);
    return EXIT_UNREACHABLE;
  }
  if (json) console.log(JSON.stringify(reply));
  else if (!reply.ok) console.error(`guillotine sim ctl: ${reply.error}`);
  else console.log(reply.snapshot !== undefined ? snapshotText(reply.snapshot as BoardSnapshot) : replyText(reply));
  return reply.ok ? EXIT_OK : EXIT_REFUSED;
}

/** `press estop on` -> {cmd: "press", input: "estop", active: true}, and so on. */
function controlRequest(words: string[]): Record<string, unknown> {
  const [command, ...args] = words;
  const onOff = (word: string | undefined, what: string): boolean => {
    if (word === "on" || word === "off") return word === "on";
    throw new Error(`${what} needs on or off, got ${word === undefined ? "nothing" : JSON.stringify(word)}`);
  };
  const exactly = (count: number, shape: string) => {
    if (args.length !== count) throw new Error(`usage: guillotine sim ctl ${command} ${shape}`.trimEnd());
  };
  switch (command) {
    case "snapshot":
    case "reset":
      exactly(0, "");
      return { cmd: command };
    case "press":
      exactly(2, "INPUT on|off");
      return { cmd: "press", input: args[0], active: onOff(args[1], "press") };
    case "power":
      exactly(1, "on|off");
      return { cmd: "power", on: onOff(args[0], "power") };
    case "unplug":
    case "replug":
      exactly(1, "LINK");
      return { cmd: command, link: args[0] };
    case "fault":
      return faultRequest(args);
    case undefined:
      throw new Error("a control command is missing: snapshot, press, fault, power, reset, unplug or replug");
    default:
      throw new Error(`unknown control command ${JSON.stringify(command)}: use snapshot, press, fault, power, reset, unplug or replug`);
  }
}

/** `fault weld --path net0 --relay 0 [--off]` -> {cmd: "fault", kind: "relay-welded", path: "net0", relay: 0}. */
function faultRequest(args: string[]): Record<string, unknown> {
  const [kind, ...fields] = args;
  if (kind === undefined || kind.startsWith("--")) throw new Error("usage: guillotine sim ctl fault KIND [--FIELD VALUE ...], e.g. fault weld --path net0 --relay 0");
  const request: Record<string, unknown> = { cmd: "fault", kind: FAULT_ALIASES[kind] ?? kind };
  for (let index = 0; index < fields.length; index++) {
    const flag = fields[index];
    if (flag === "--off" || flag === "--on") {
      request.active = flag === "--on";
      continue;
    }
    const value = fields[index + 1];
    if (!flag.startsWith("--") || value === undefined) throw new Error(`fault fields go as --name value pairs, got ${JSON.stringify(flag)}`);
    const name = flag.slice(2).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    request[name] = parseWord(value);
    index++;
  }
  return request;
}

function parseWord(word: string): unknown {
  if (word === "true" || word === "false") return word === "true";
  return word.trim() !== "" && Number.isFinite(Number(word)) ? Number(word) : word;
}

function replyText(reply: Record<string, unknown>): string {
  const { id: _id, ok: _ok, ...details } = reply;
  return Object.keys(details).length === 0 ? "ok" : `ok ${JSON.stringify(details)}`;
}

function usageError(message: string): number {
  console.error(`guillotine sim: ${message}\n\nRun \`guillotine sim --help\` for the options.`);
  return EXIT_USAGE;
}
