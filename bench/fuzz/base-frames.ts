/**
 * The frames the fuzzer starts from before mutating them: valid heartbeats for the current
 * session, challenges for any level, operator approvals correctly signed for the challenge the
 * controller last issued, LOG, STATUS and SYNC requests, and free text. Valid material matters:
 * a mutation of a well-formed, authentic frame reaches far deeper checks than random bytes.
 */
import type { ControllerConfig } from "../../protocol/config.ts";
import type { Rng } from "../../simulator/rng.ts";
import { authLine, heartbeatLine } from "../../protocol/testing/signed-lines.ts";
import type { LinkName } from "../harness/timeline.ts";

export interface FuzzState {
  config: ControllerConfig;
  /** Session nonce from the last HELLO. */
  nonce: string;
  /** Highest heartbeat sequence used so far (the fuzzer's frames and the attester's share it). */
  seq: number;
  /** The challenge the controller last issued. */
  challenge: { nonce: string; target: number } | undefined;
}

export const BASE_KINDS = ["HB", "HB-replay", "CHAL", "AUTH", "LOG", "STATUS", "SYNC", "text"] as const;
export type BaseKind = (typeof BASE_KINDS)[number];

const WORDS = ["HB", "CHAL", "AUTH", "LOG", "STATUS", "SYNC", "HELLO", "ACK", "ERR", "LEVEL", "reset()", "save()", "E.setConsole(0)", "0", "3", "9", "ffff"];

function hex(rng: Rng, digits: number): string {
  let text = "";
  for (let index = 0; index < digits; index++) text += "0123456789abcdef"[rng.int(16)];
  return text;
}

function line(kind: BaseKind, state: FuzzState, rng: Rng): string {
  const { config } = state;
  switch (kind) {
    case "HB":
      return heartbeatLine({ id: config.id, nonce: state.nonce, seq: ++state.seq, level: rng.int(4), measurement: config.measurements[0], keyHex: config.hostKey });
    case "HB-replay":
      return heartbeatLine({ id: config.id, nonce: state.nonce, seq: Math.max(1, state.seq - rng.int(5)), level: 0, measurement: config.measurements[0], keyHex: config.hostKey });
    case "CHAL":
      return `CHAL ${rng.int(6)}`;
    case "AUTH": {
      const operator = rng.int(config.operators.length);
      const challenge = state.challenge ?? { nonce: hex(rng, 32), target: rng.int(6) };
      return authLine(config.id, challenge.nonce, challenge.target, operator, config.operators[operator]);
    }
    case "LOG":
      return `LOG ${rng.int(40)}`;
    case "STATUS":
      return "STATUS";
    case "SYNC":
      return "SYNC";
    case "text": {
      const words: string[] = [];
      for (let count = 1 + rng.int(6); count > 0; count--) words.push(WORDS[rng.int(WORDS.length)]);
      return words.join(" ");
    }
  }
}

/** A base frame and the link it goes to: its own link mostly, the other one sometimes. */
export function baseFrame(state: FuzzState, rng: Rng): { kind: BaseKind; line: string; link: LinkName } {
  const kind = BASE_KINDS[rng.int(BASE_KINDS.length)];
  const own: LinkName = kind === "HB" || kind === "HB-replay" ? "host" : kind === "SYNC" || kind === "text" ? (rng.chance(0.5) ? "host" : "ops") : "ops";
  const link: LinkName = rng.chance(0.15) ? (own === "host" ? "ops" : "host") : own;
  return { kind, line: line(kind, state, rng), link };
}
