/**
 * The Espruino board layer (board.ts) on the simulated board, held to the same contract as
 * the core tests' fake board.
 */
import { fileURLToPath } from "node:url";
import { loadProfile } from "../../hardware/profile.ts";
import { createSimulation } from "../../simulator/simulation.ts";
import { firmwareProfile } from "../../tools/build/firmware.ts";
import { compileEntry } from "../../tools/build/pipeline.ts";
import { boardContract, type BoardHarness } from "../testing/board-contract.ts";

const ENTRY_PATH = fileURLToPath(new URL("./testing/board-entry.ts", import.meta.url));
/** Longest a simulated relay takes to settle: its operate and bounce times (simulator/mcu). */
const SETTLE_MS = 50;

async function simulatedHarness(boardId: string): Promise<BoardHarness> {
  const profile = loadProfile(boardId);
  const code = await compileEntry(ENTRY_PATH, { __PROFILE__: JSON.stringify(JSON.stringify(firmwareProfile(profile))) });
  const sim = createSimulation({ boardId, seed: 1, log: () => {}, powerOn: false });
  const received = new Map<string, string>();
  sim.board.onSerialOutput((device, data) => received.set(device, (received.get(device) ?? "") + data));
  sim.board.flashBundle(code);
  sim.board.powerOn();
  sim.clock.advance(100);
  const devices = [profile.links.host.device, profile.links.ops.device];
  const evaluate = (expression: string): unknown => {
    const result = sim.board.evaluate(expression);
    if (!result.ok) throw new Error(`${expression}: ${result.text}`);
    return result.value;
  };
  const args = (values: unknown[]) => values.map((value) => JSON.stringify(value)).join(",");
  return {
    relays: profile.paths.flatMap((path) => path.relays).length,
    settleMs: SETTLE_MS,
    call: (name, ...values) => evaluate(`B.${name}(${args(values)})`),
    storage: (name, ...values) => evaluate(`B.storage.${name}(${args(values)})`),
    run: (maintenance, cycleMs, watchdogMs) => evaluate(`B.run(EV,${maintenance},${cycleMs},${watchdogMs})`),
    takeEvents: () => evaluate("EV.log.splice(0,EV.log.length)") as string[],
    coils: () => sim.board.snapshot().relays.reduce((mask, relay) => (relay.coilEnergised ? mask | (1 << relay.index) : mask), 0),
    led: () => sim.board.snapshot().pins[profile.led].level === 1,
    linkReceived: (link) => received.get(devices[link]) ?? "",
    linkSend: (link, data) => sim.board.serialInput(devices[link], data),
    press: (input, active) => sim.board.press(input, active),
    raiseErrorFlag: (flag) => sim.board.raiseErrorFlag(flag as Parameters<typeof sim.board.raiseErrorFlag>[0]),
    advance: (ms) => sim.clock.advance(ms),
    consoleReachable: () => sim.board.snapshot().console.device === profile.console,
    watchdogBit: () => sim.board.snapshot().resets.some((reset) => reset.cause === "watchdog"),
  };
}

for (const boardId of ["PICO", "MDBT42Q"]) boardContract(`the Espruino board on a simulated ${boardId}`, () => simulatedHarness(boardId));
