/** Human and JSON renderings of a controller's STATUS, shared by status and watch. */
import { LEVEL_NAMES } from "../protocol/constants.ts";
import type { ControllerFrame, Inputs } from "../protocol/controller-frames.ts";
import { describeLevel } from "../protocol/levels.ts";
import type { Hello } from "./client.ts";

export type Status = Extract<ControllerFrame, { type: "STATUS" }>;

const PATH_STATES: Record<string, string> = { C: "closed", O: "open", T: "testing", F: "FEEDBACK FAULT" };
const PATH_KINDS: Record<string, string> = { n: "network", p: "power", d: "decapitation", i: "immolation" };

/** Where the cause stands beside the boot: latched in this boot, or kept across `n` boots. */
export function causeLatched(status: Status): string {
  const boots = status.boot - status.causeBoot;
  return boots === 0 ? `latched in this boot (${status.boot})` : `latched ${boots} boot(s) ago, in boot ${status.causeBoot}; now boot ${status.boot}`;
}

function describeInputs(inputs: Inputs): string {
  const active = (Object.keys(inputs) as Array<keyof Inputs>).filter((name) => inputs[name]);
  return active.length === 0 ? "none active" : active.map((name) => (name === "estop" ? "E-STOP" : name)).join(", ") + " active";
}

export function statusLines(hello: Hello, status: Status): string[] {
  return [
    `controller ${hello.id} (firmware ${hello.firmware}, session ${hello.nonce.slice(0, 8)})`,
    `level       ${describeLevel(status.level)}, cause ${status.cause} ${causeLatched(status)}`,
    `paths       ${[...status.paths].map((code, index) => `${PATH_KINDS[hello.kinds[index]] ?? index + 1}:${PATH_STATES[code]}`).join("  ")}`,
    `inputs      ${describeInputs(status.inputs)}`,
    `heartbeat   ${status.ageMs === null ? "none this session" : `${status.ageMs} ms ago`}, last seq ${status.seq}`,
    `uptime      ${status.uptimeS} s, next log index ${status.logNext}`,
  ];
}

/** One compact line for watch: what changes matters, not the clocks. */
export function statusSummary(status: Status): string {
  return `${LEVEL_NAMES[status.level]} (${status.level}) cause ${status.cause}, paths ${status.paths}, inputs ${describeInputs(status.inputs)}`;
}

export function statusJson(hello: Hello, status: Status): Record<string, unknown> {
  return {
    id: hello.id, firmware: hello.firmware, session: hello.nonce,
    level: status.level, levelName: LEVEL_NAMES[status.level], cause: status.cause,
    paths: status.paths, inputs: status.inputs, heartbeatAgeMs: status.ageMs, seq: status.seq,
    uptimeS: status.uptimeS, logNext: status.logNext, boot: status.boot, causeBoot: status.causeBoot, pathKinds: hello.kinds,
  };
}
