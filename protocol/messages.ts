/** The exact strings that MACs and signatures cover (docs/protocol.md section 3). */
import { SESSION_HEX_CHARS } from "./constants.ts";

/** A heartbeat up to the space before its MAC: `HB <session> <seq> <level> <measurement>`. */
export function heartbeatBody(sessionNonce: string, seq: number, level: number, measurement: string): string {
  return "HB " + sessionNonce.substring(0, SESSION_HEX_CHARS) + " " + seq + " " + level + " " + measurement;
}

/** Bytes the heartbeat MAC covers: `body` is the frame up to the space before the MAC. */
export function heartbeatMacInput(id: string, sessionNonce: string, body: string): string {
  return "G2|" + id + "|" + sessionNonce + "|" + body;
}

/** Bytes an operator signs to approve challenge `challengeNonce` for `targetLevel`. */
export function authSignatureInput(id: string, challengeNonce: string, targetLevel: number): string {
  return "G2|" + id + "|AUTH|" + challengeNonce + "|" + targetLevel;
}

/** Bytes an event-log entry's hash covers (docs/protocol.md section 8). */
export function logEntryHashInput(prev: string, index: number, boot: number, uptimeS: number, cause: string, level: number, count: number): string {
  return prev + "|" + index + "|" + boot + "|" + uptimeS + "|" + cause + "|" + level + "|" + count;
}

/** Bytes the controller MACs to vouch for its log head to a verifier's nonce (docs/protocol.md section 8). */
export function logHeadInput(id: string, verifierNonce: string, next: number, head: string): string {
  return "G2|" + id + "|HEAD|" + verifierNonce + "|" + next + "|" + head;
}
