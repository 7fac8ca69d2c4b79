/** The exact strings that MACs and signatures cover (docs/protocol.md section 3). */

/** Bytes the heartbeat MAC covers: `body` is the frame up to the space before the MAC. */
export function heartbeatMacInput(id: string, sessionNonce: string, body: string): string {
  return "G1|" + id + "|" + sessionNonce + "|" + body;
}

/** Bytes an operator signs to approve challenge `challengeNonce` for `targetLevel`. */
export function authSignatureInput(id: string, challengeNonce: string, targetLevel: number): string {
  return "G1|" + id + "|AUTH|" + challengeNonce + "|" + targetLevel;
}

/** Bytes an event-log entry's hash covers (docs/protocol.md section 8). */
export function logEntryHashInput(prev: string, index: number, boot: number, uptimeS: number, cause: string, level: number): string {
  return prev + "|" + index + "|" + boot + "|" + uptimeS + "|" + cause + "|" + level;
}
