/**
 * The firmware's own work in CPU cycles under the CPU-time model (simulator/interpreter/cpu.ts),
 * measured the way the real interpreter's figures were taken (docs/simulator.md,
 * "Calibration"): the bundle sent to the REPL of a board with 8,190 variables (code in RAM),
 * the largest configuration in flash, start() called once, then from the console, each as the
 * cycles of the call less those of the same statement with only its arguments:
 * - the two crypto.SHA256 calls an HMAC needs (the inner key block and the MAC input, then
 *   96 bytes), the denominator of every ratio;
 * - tag() over a heartbeat's MAC input, mean of TAGS such inputs, and the check of a frame's
 *   tag (tagMatches) on the same inputs where the bundle has it;
 * - one valid heartbeat through controller.receive(), whole, and the outbox emptied as the
 *   board layer does;
 * - cycle(), the board layer's control cycle;
 * - start(), after taking the previous start's timers, watches and listeners away.
 * For the calibration test and the bench.
 */
import { loadProfile } from "../../hardware/profile.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { provisionFlash } from "../simulation.ts";
import { largestConfig } from "../../firmware/core/test-fixture.ts";
import { fromHex } from "../../protocol/hex.ts";
import { HmacKey, tag } from "../../protocol/hmac.ts";
import { heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import { VirtualClock } from "../clock.ts";
import { Flash } from "../flash.ts";
import type { CpuCounts, CpuMeter } from "../interpreter/cpu.ts";
import type { Kernel } from "../interpreter/kernel.ts";
import { SimulatedBoard } from "../simulated-board.ts";

export interface FirmwareCpuFigures {
  /** The two crypto.SHA256 calls an HMAC makes (the key block and MAC input, then 96 bytes). */
  twoHashCycles: number;
  /** The firmware's tag() over a heartbeat's MAC input. */
  tagCycles: number;
  /** Its check of a frame's tag against a MAC input (tagMatches); undefined for a bundle without it. */
  tagCheckCycles: number | undefined;
  /** One valid heartbeat through controller.receive(), mean of HEARTBEATS. */
  heartbeatCycles: number;
  /** One run of the control cycle, cycle(). */
  controlCycleCycles: number;
  /** The init handler start(), provisioned. */
  startCycles: number;
  /** What the model counted for each, by kind of work (for fitting its constants). */
  counts: Record<keyof FirmwareCpuRatios | "twoHash", CpuCounts>;
}

/** Ratios to the two SHA-256 calls, as the real interpreter's figures are given. */
export interface FirmwareCpuRatios {
  tag: number;
  heartbeat: number;
  controlCycle: number;
  start: number;
}

/** The ratios, and the tag check's where the bundle has one (the real interpreter's figures predate it). */
export function cpuRatios(figures: FirmwareCpuFigures): FirmwareCpuRatios & { tagCheck: number | undefined } {
  const pair = figures.twoHashCycles;
  return { tag: figures.tagCycles / pair, tagCheck: figures.tagCheckCycles === undefined ? undefined : figures.tagCheckCycles / pair, heartbeat: figures.heartbeatCycles / pair, controlCycle: figures.controlCycleCycles / pair, start: figures.startCycles / pair };
}

const HEARTBEATS = 20;
/** Messages tag() is timed on: its cost may depend on the tag (a hex word with a leading zero digit). */
const TAGS = 64;
/** The variables of the Linux build the figures were taken on. */
const LAB_VARIABLES = 8190;
/**
 * Globals the measurements use, whether the bundle's definitions are top-level or inside one
 * wrapper function, and whether its wiring is the `firmware` object or top-level functions
 * (bundles before the board seam).
 */
const EXPORT = "global.LAB={tag:tag,tagMatches:typeof tagMatches==\"function\"?tagMatches:void 0,HmacKey:HmacKey," +
  "c:function(){return typeof firmware==\"object\"?firmware.controller:controller},start:start,cycle:typeof cycle==\"function\"?cycle:void 0," +
  "reset:function(){wakeTimer=0;if(typeof firmware==\"object\"){firmware.wakeAtMs=1/0;firmware.halted=!1}else{wakeAtMs=1/0;halted=!1}}};";
const WRAPPER_TAIL = 'E.on("init",start);})();';
/** What start() set up, taken away before it runs again (not counted). */
const cleanup = (devices: string[]) => `clearInterval();clearWatch();${devices.map((device) => `${device}.removeAllListeners("data");`).join("")}E.removeAllListeners("errorFlag");LAB.reset()`;

/**
 * The calibration's fa4c001 bundle speaks protocol version 1 (its MAC inputs start `G1|`): its
 * configuration has no `bootLevel`, and its heartbeat is `HB <seq> <level> <measurement> <mac>`
 * with the MAC over `G1|<id>|<session>|<body>`. Every later bundle speaks the current version.
 */
function speaksVersion1(code: string): boolean {
  return code.includes('"G1|"');
}

function heartbeatFrame(version1: boolean, config: ControllerConfig, nonce: string, seq: number): string {
  if (!version1) return heartbeatLine({ id: config.id, nonce, seq, level: 0, measurement: config.measurements[0], keyHex: config.hostKey }) + "\n";
  const body = `HB ${seq} 0 ${config.measurements[0]}`;
  return `${body} ${tag(new HmacKey(fromHex(config.hostKey)), `G1|${config.id}|${nonce}|${body}`)}\n`;
}

/** The MAC input of a heartbeat frame (what tag() is given). */
function macInput(version1: boolean, config: ControllerConfig, nonce: string, frame: string): string {
  const line = frame.trim();
  return `${version1 ? "G1" : "G2"}|${config.id}|${nonce}|${line.slice(0, line.lastIndexOf(" "))}`;
}

export function firmwareCpuFigures(code: string, boardId = "PICO"): FirmwareCpuFigures {
  const profile = loadProfile(boardId);
  const version1 = speaksVersion1(code);
  const { bootLevel: _unknownToVersion1, ...version1Config } = largestConfig();
  const config = version1 ? (version1Config as ControllerConfig) : largestConfig();
  const flash = new Flash();
  provisionFlash(flash, config);
  const board = new SimulatedBoard({ profile: { ...profile, variables: LAB_VARIABLES }, clock: new VirtualClock(), flash, seed: 1, cpuModel: true });
  board.powerOn();
  const meter = (board as unknown as { interpreter: { kernel: Kernel } }).interpreter.kernel.cpu as CpuMeter;
  const snapshot = () => ({ cycles: meter.cycles, ...meter.counts });
  type Work = ReturnType<typeof snapshot>;
  const minus = (a: Work, b: Work, scale = 1): Work => Object.fromEntries(Object.keys(a).map((key) => [key, (a[key as keyof Work] - b[key as keyof Work]) * scale])) as Work;
  const work = (statement: string): Work => {
    const before = snapshot();
    const result = board.evaluate(statement);
    if (!result.ok) throw new Error(`${boardId}: ${statement.slice(0, 120)}: ${result.text}`);
    return minus(snapshot(), before);
  };
  const run = (statement: string): number => work(statement).cycles;
  /** The work of `body` inside a function given `args`, less that of `base` (the arguments alone). */
  const net = (params: string, args: string, body: string, base: string) =>
    minus(work(`(function(${params}){${body}})(${args})`), work(`(function(${params}){${base}})(${args})`));

  // The Linux build's watchdog does nothing; a real one, armed by start(), would bite during
  // the measurements (no control cycle runs between them).
  run("E.enableWatchdog=function(){};E.kickWatchdog=function(){}");
  const wrapped = code.startsWith("(()=>{") && code.trimEnd().endsWith("})();");
  if (wrapped && !code.trimEnd().endsWith(WRAPPER_TAIL)) throw new Error(`the bundle's wrapper does not end with ${WRAPPER_TAIL}`);
  run(wrapped ? code.trimEnd().slice(0, -WRAPPER_TAIL.length) + EXPORT + WRAPPER_TAIL : code);
  if (!wrapped) run(EXPORT);
  run("LAB.start()");
  const value = (expression: string): unknown => {
    const result = board.evaluate(expression);
    if (!result.ok) throw new Error(`${boardId}: ${expression}: ${result.text}`);
    return result.value;
  };
  const nonce = String(value("LAB.c().sessionNonce"));
  const sample = heartbeatFrame(version1, config, nonce, 1);
  run(`var LK=new LAB.HmacKey(new Uint8Array(32)),LM=${JSON.stringify(macInput(version1, config, nonce, sample))},LA=LK.innerText+LM,LB=E.toString(new Uint8Array(96))`);
  const twoHash = net("c,A,B", 'require("crypto"),LA,LB', "c.SHA256(A);c.SHA256(B);", "A;B;");
  const checks = value("typeof LAB.tagMatches") === "function";
  let tagWork = minus(snapshot(), snapshot());
  let checkWork = tagWork;
  for (let i = 0; i < TAGS; i++) {
    // The same messages on every board and boot: which tags have a word under 0x10000000 depends on them.
    const message = JSON.stringify(`${version1 ? "G1" : "G2"}|${config.id}|${"0".repeat(32)}|HB 00000000 ${1000 + i} 0 ${config.measurements[0]}`);
    const one = net("T,K,M", `LAB.tag,LK,${message}`, "T(K,M);", "K;M;");
    tagWork = minus(tagWork, minus(minus(one, one), one, 1 / TAGS));
    if (!checks) continue;
    run(`var LN=${message},LT=LAB.tag(LK,LN)`);
    const check = net("Q,K,M,T", "LAB.tagMatches,LK,LN,LT", "Q(K,M,T);", "K;M;T;");
    checkWork = minus(checkWork, minus(minus(check, check), check, 1 / TAGS));
  }

  const now = version1 ? "function(){return getTime()*1e3}" : "nowMs";
  let heartbeat = minus(snapshot(), snapshot());
  for (let seq = 1; seq <= HEARTBEATS; seq++) {
    run(`var LH=${JSON.stringify(heartbeatFrame(version1, config, nonce, seq))}`);
    const one = net("C,H,N", `LAB.c(),LH,${now}`, "C.receive(0,H,N());C.outbox=[];", "H;N();C.outbox=[];");
    heartbeat = minus(heartbeat, minus(minus(one, one), one, 1 / HEARTBEATS));
  }
  const accepted = value("LAB.c().lastSeq");
  if (accepted !== HEARTBEATS) throw new Error(`${boardId}: ${String(accepted)} of ${HEARTBEATS} heartbeats were accepted`);
  const controlCycle = value('typeof firmware=="object"') === true ? net("F", "firmware", "F.cycle();", "F;") : net("Y", "LAB.cycle", "Y();", "");
  run(cleanup([profile.links.host.device, profile.links.ops.device]));
  const start = minus(work("LAB.start()"), work("0"));
  const counts = ({ cycles: _cycles, ...rest }: Work): CpuCounts => rest;
  return {
    twoHashCycles: twoHash.cycles,
    tagCycles: tagWork.cycles,
    tagCheckCycles: checks ? checkWork.cycles : undefined,
    heartbeatCycles: heartbeat.cycles,
    controlCycleCycles: controlCycle.cycles,
    startCycles: start.cycles,
    counts: { twoHash: counts(twoHash), tag: counts(tagWork), heartbeat: counts(heartbeat), controlCycle: counts(controlCycle), start: counts(start) },
  };
}
