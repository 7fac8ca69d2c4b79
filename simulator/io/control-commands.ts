/**
 * The control protocol of a running simulator: one JSON request in, one JSON reply out.
 *
 *   {"id": 1, "cmd": "press", "input": "estop", "active": true}
 *   {"id": 1, "ok": true}
 *   {"id": 2, "cmd": "bogus"}
 *   {"id": 2, "ok": false, "error": "unknown command \"bogus\": use one of snapshot, press, ..."}
 *
 * Every problem is answered, never thrown: a test harness or operator script that sends
 * something wrong learns what and how to fix it, and the board keeps running.
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import type { SimulatedBoard } from "../simulated-board.ts";
import { INPUT_NAMES, type InputName } from "../world/events.ts";
import { linkDevices, parseFault, resolveDevice } from "./fault-request.ts";

/** What the control protocol drives: the board's test controls, never its firmware. */
export type ControlledBoard = Pick<SimulatedBoard, "snapshot" | "press" | "inject" | "powerOn" | "powerOff" | "reset"> & {
  readonly profile: BoardProfile;
};

export type ControlReply = { id?: unknown; ok: true; [key: string]: unknown } | { id?: unknown; ok: false; error: string };

type Handler = (board: ControlledBoard, request: Record<string, unknown>) => Record<string, unknown>;

/** Each command's fields ("checked-by-handler": the handler checks them, as fault does per kind). */
const COMMANDS: Record<string, { fields: string[] | "checked-by-handler"; handle: Handler }> = {
  snapshot: { fields: [], handle: (board) => ({ snapshot: board.snapshot() }) },
  press: {
    fields: ["input", "active"],
    handle: (board, request) => {
      if (!INPUT_NAMES.includes(request.input as InputName)) {
        throw new Error(`unknown input ${JSON.stringify(request.input)}: use one of ${INPUT_NAMES.join(", ")}`);
      }
      if (typeof request.active !== "boolean") throw new Error(`"active" must be true or false, got ${JSON.stringify(request.active)}`);
      board.press(request.input as InputName, request.active);
      return {};
    },
  },
  fault: {
    fields: "checked-by-handler",
    handle: (board, request) => {
      const { cmd: _cmd, id: _id, ...fields } = request;
      const fault = parseFault(board.profile, fields);
      board.inject(fault);
      return { fault };
    },
  },
  power: {
    fields: ["on"],
    handle: (board, request) => {
      if (typeof request.on !== "boolean") throw new Error(`"on" must be true or false, got ${JSON.stringify(request.on)}`);
      if (request.on) board.powerOn();
      else board.powerOff();
      return {};
    },
  },
  reset: { fields: [], handle: (board) => (board.reset(), {}) },
  unplug: { fields: ["link"], handle: (board, request) => plug(board, request, "link-unplugged") },
  replug: { fields: ["link"], handle: (board, request) => plug(board, request, "link-replugged") },
};

export const CONTROL_COMMANDS = Object.keys(COMMANDS);

function plug(board: ControlledBoard, request: Record<string, unknown>, kind: "link-unplugged" | "link-replugged"): Record<string, unknown> {
  if (request.link === undefined) throw new Error(`"link" is missing: use one of ${Object.keys(linkDevices(board.profile)).join(", ")}`);
  const device = resolveDevice(board.profile, request.link);
  board.inject({ kind, device });
  return { device };
}

/** Answers one request line. */
export function handleControlLine(board: ControlledBoard, line: string): ControlReply {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `request is not valid JSON (${(error as Error).message}): send one JSON object per line, e.g. {"id":1,"cmd":"snapshot"}` };
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return { ok: false, error: `request must be a JSON object like {"id":1,"cmd":"snapshot"}, got ${JSON.stringify(request)}` };
  }
  const fields = request as Record<string, unknown>;
  const id = fields.id;
  const name = fields.cmd;
  const command = typeof name === "string" && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    const what = fields.cmd === undefined ? `"cmd" is missing` : `unknown command ${JSON.stringify(fields.cmd)}`;
    return { id, ok: false, error: `${what}: use one of ${CONTROL_COMMANDS.join(", ")}` };
  }
  const allowed = command.fields;
  const unknown = Object.keys(fields).filter((key) => key !== "id" && key !== "cmd" && allowed !== "checked-by-handler" && !allowed.includes(key));
  if (allowed !== "checked-by-handler" && unknown.length > 0) {
    const list = allowed.length === 0 ? "none" : allowed.join(", ");
    return { id, ok: false, error: `${name} does not take ${unknown.map((key) => `"${key}"`).join(", ")}: its fields are ${list}` };
  }
  try {
    return { id, ok: true, ...command.handle(board, fields) };
  } catch (error) {
    return { id, ok: false, error: `${name} failed: ${(error as Error).message}` };
  }
}
