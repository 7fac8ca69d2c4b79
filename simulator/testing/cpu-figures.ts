/**
 * The firmware's own work in CPU cycles under the CPU-time model (simulator/runtime/cpu.ts),
 * measured the way the real interpreter's ratios were: the HMAC tag() and the two native
 * SHA-256 calls it makes, one valid heartbeat through the host link's data handler, one
 * control cycle, and start(). For the calibration test and the bench.
 */
import * as acorn from "acorn";
import { loadProfile } from "../../hardware/profile.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import type { CpuMeter } from "../runtime/cpu.ts";
import type { Kernel } from "../runtime/kernel.ts";
import { SimulatedBoard } from "../simulated-board.ts";
import { FirmwareRig, rigConfig } from "./firmware-rig.ts";
import { fromHex } from "../../protocol/hex.ts";
import { HmacKey, tag } from "../../protocol/hmac.ts";
import { GOOD_MEASUREMENT } from "../../protocol/testing/keys.ts";

export interface FirmwareCpuFigures {
  /** The firmware's tag() over a heartbeat-sized message. */
  tagCycles: number;
  /** The two crypto.SHA256 calls an HMAC makes (a key block and message, then 96 bytes). */
  twoHashCycles: number;
  /** One valid heartbeat through the host link's data handler, every chunk of it. */
  heartbeatCycles: number;
  /** One run of the control cycle. */
  controlCycleCycles: number;
  /** The init handler start(), from a provisioned flash. */
  startCycles: number;
}

const HMAC_PARTS = ["HEX_DIGITS", "toHex", "crypto", "sha256", "sha256Text", "HmacKey", "hmacSha256", "tag"];
const MESSAGE = "HB 1 sim-1 0123456789abcdef0123456789abcdef 12 0 0123456789abcdef0123456789abcdef";
const HEARTBEATS = 20;

/**
 * The calibration's fa4c001 bundle speaks protocol version 1 (its MAC inputs start `G1|`): its
 * configuration has no `bootLevel`, and its heartbeat is `HB <seq> <level> <measurement> <mac>`
 * with the MAC over `G1|<id>|<session>|<body>`. Every later bundle speaks the rig's version.
 */
function speaksVersion1(code: string): boolean {
  return code.includes('"G1|"');
}

function version1Heartbeat(rig: FirmwareRig, seq: number): string {
  const body = `HB ${seq} 0 ${GOOD_MEASUREMENT}`;
  return `${body} ${tag(new HmacKey(fromHex(rig.config.hostKey)), `G1|${rig.config.id}|${rig.sessionNonce()}|${body}`)}\n`;
}

const kernelOf = (board: SimulatedBoard) => (board as unknown as { interpreter: { kernel: Kernel } }).interpreter.kernel;
const meterOf = (board: SimulatedBoard) => kernelOf(board).cpu as CpuMeter;

function cyclesOf(board: SimulatedBoard, code: string): number {
  const before = meterOf(board).cycles;
  const result = board.evaluate(code);
  if (!result.ok) throw new Error(`${code}: ${result.text}`);
  return meterOf(board).cycles - before;
}

/** The top-level definitions of the bundle (or of its outer function, in bundles that have one) that `names` declare, as source. */
function definitions(code: string, names: string[]): string[] {
  const program = acorn.parse(code, { ecmaVersion: 2020, sourceType: "script" }) as acorn.Node & { body: any[] };
  const wrapper = program.body.length === 1 ? program.body[0].expression?.callee?.body?.body : undefined;
  const body = (wrapper ?? program.body) as any[];
  const declared = (node: any) => (node.type === "FunctionDeclaration" ? node.id.name : node.type === "VariableDeclaration" ? node.declarations[0].id.name : undefined);
  return body.filter((node) => names.includes(declared(node))).map((node) => code.slice(node.start, node.end));
}

export async function firmwareCpuFigures(code: string, boardId = "PICO"): Promise<FirmwareCpuFigures> {
  const profile = loadProfile(boardId);
  // tag() and the hashes, on their own in a REPL.
  const repl = new SimulatedBoard({ profile: { ...profile, variables: 8190 }, clock: new VirtualClock(), flash: new Flash(), seed: 1, cpuModel: true });
  repl.powerOn();
  for (const piece of definitions(code, HMAC_PARTS)) cyclesOf(repl, piece);
  cyclesOf(repl, `var K = new HmacKey(new Uint8Array(32)); var M = ${JSON.stringify(MESSAGE)};`);
  const tagCycles = cyclesOf(repl, "tag(K, M)") - cyclesOf(repl, "K, M");
  const twoHashCycles = cyclesOf(repl, "crypto.SHA256(K.innerText + M); crypto.SHA256(new Uint8Array(96))") - cyclesOf(repl, "K.innerText + M; new Uint8Array(96)");
  // start(): the boot from a provisioned flash, less the definitions the bundle runs first.
  const definitionsCycles = cyclesOf(repl, code);
  // The same bundle as above, so every ratio is of one firmware.
  const version1 = speaksVersion1(code);
  const { bootLevel: _unknownToVersion1, ...version1Config } = rigConfig();
  const rig = await FirmwareRig.start({ boardId, cpuModel: true, bundle: code, config: version1 ? (version1Config as ReturnType<typeof rigConfig>) : undefined });
  const startCycles = meterOf(rig.sim.board).cycles - definitionsCycles;
  // Heartbeats and control cycles, told apart by the callback that did the work.
  rig.advance(3000);
  const kernel = kernelOf(rig.sim.board);
  const meter = meterOf(rig.sim.board);
  const work = new Map<unknown, { cycles: number; calls: number }>();
  const call = kernel.call.bind(kernel);
  kernel.call = (fn, thisArg, args) => {
    const before = meter.cycles;
    const ok = call(fn, thisArg, args);
    const entry = work.get(fn) ?? { cycles: 0, calls: 0 };
    entry.cycles += meter.cycles - before;
    entry.calls++;
    work.set(fn, entry);
    return ok;
  };
  for (let index = 0; index < HEARTBEATS; index++) {
    rig.sendHost(version1 ? version1Heartbeat(rig, index + 1) : rig.heartbeat(0));
    rig.advance(500);
  }
  kernel.call = call;
  const acks = rig.lines("host").filter((line) => line.startsWith("ACK")).length;
  if (acks < HEARTBEATS) throw new Error(`${boardId}: only ${acks} of ${HEARTBEATS} heartbeats were acknowledged (the host link's last line: ${JSON.stringify(rig.last("host"))})`);
  let controlCycleCycles = 0;
  let heartbeatCycles = 0;
  for (const [fn, entry] of work) {
    const name = /^function\s+([\w$]+)/.exec(String(fn))?.[1];
    if (name === "cycle") controlCycleCycles = entry.cycles / entry.calls;
    else if (name === "onHostData") heartbeatCycles = entry.cycles / HEARTBEATS;
  }
  return { tagCycles, twoHashCycles, heartbeatCycles, controlCycleCycles, startCycles };
}
