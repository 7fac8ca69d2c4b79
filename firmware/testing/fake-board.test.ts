import type { FirmwareEvents } from "../board.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_MAINTENANCE, INPUT_TAMPER } from "../core/inputs.ts";
import { boardContract, type BoardHarness, type InputName } from "./board-contract.ts";
import { FakeBoard } from "./fake-board.ts";

const INPUTS: Record<InputName, number> = { estop: INPUT_ESTOP, tamper: INPUT_TAMPER, arm: INPUT_ARM, maintenance: INPUT_MAINTENANCE };

function fakeHarness(): BoardHarness {
  const board = new FakeBoard();
  let events: string[] = [];
  let bitten = false;
  const recorder: FirmwareEvents = {
    cycle: () => events.push("cycle"),
    wake: () => events.push("wake"),
    receive: (link, data) => events.push(`receive ${link} ${data}`),
  };
  const member = (name: string) => (board as unknown as Record<string, (...args: unknown[]) => unknown>)[name].bind(board);
  return {
    relays: 8,
    settleMs: 0,
    call: (name, ...args) => member(name)(...args),
    storage: (name, ...args) => (name === "read" ? board.storage.read(args[0] as string) : board.storage.write(args[0] as string, args[1] as string)),
    run: (maintenance, cycleMs, watchdogMs) => board.run(recorder, maintenance, cycleMs, watchdogMs),
    takeEvents: () => {
      const taken = events;
      events = [];
      return taken;
    },
    coils: () => board.coils,
    led: () => board.led,
    linkReceived: (link) => board.sent.filter((s) => s.link === link).map((s) => s.text).join(""),
    linkSend: (link, data) => board.events?.receive(link, data),
    press: (input, active) => board.press(INPUTS[input], active),
    raiseErrorFlag: (flag) => board.raiseFlag(flag),
    advance: (ms) => {
      if (!board.advance(board.time + ms)) bitten = true;
    },
    consoleReachable: () => board.consoleReachable === true,
    watchdogBit: () => bitten,
  };
}

boardContract("the fake board", fakeHarness);
