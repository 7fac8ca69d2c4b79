/**
 * The Espruino board alone, for its contract suite under the simulator (board.sim.test.ts):
 * at boot, `B` is the board of the profile compiled in and `EV` an events object that records
 * what the board delivers to it.
 */
import type { FirmwareEvents } from "../../board.ts";
import type { FirmwareProfile } from "../../../hardware/profile-types.ts";
import { espruinoBoard } from "../board.ts";

const recorder: FirmwareEvents & { log: string[] } = {
  log: [],
  cycle() {
    recorder.log.push("cycle");
  },
  wake() {
    recorder.log.push("wake");
  },
  receive(link, data) {
    recorder.log.push("receive " + link + " " + data);
  },
};

function start(): void {
  global.B = espruinoBoard(JSON.parse(__PROFILE__) as FirmwareProfile);
  global.EV = recorder;
}

E.on("init", start);
