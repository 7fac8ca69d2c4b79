import { readFileSync } from "node:fs";
import { loadProfile } from "./hardware/profile.ts";
import { VirtualClock } from "./simulator/clock.ts";
import { BOOT_CODE_FILE, Flash } from "./simulator/flash.ts";
import { flashCapacityBytes } from "./simulator/simulation.ts";
import { SimulatedBoard } from "./simulator/simulated-board.ts";
const code = readFileSync(process.argv[2], "utf8");
const p = loadProfile("PICO");
const clock = new VirtualClock();
const flash = new Flash({ capacityBytes: flashCapacityBytes(p) });
const board = new SimulatedBoard({ profile: p, clock, flash, seed: 1 });
flash.write(BOOT_CODE_FILE, new Uint8Array(Buffer.from(code, "latin1")));
if (process.argv[3]) flash.write("gcfg", Buffer.from(readFileSync(process.argv[3], "utf8"), "latin1"));
board.powerOn(); clock.advance(5000);
console.log("model", board.snapshot().memory.usage);
for (const x of process.argv.slice(4)) { const r = board.evaluate(x); console.log(x, r.ok ? r.value : r.text); }
