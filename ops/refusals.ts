/** What each ERR code means to an operator, and what to do about it (docs/protocol.md section 7). */
const ADVICE: Record<string, string> = {
  LEVEL: "the controller refuses that target: it equals the current level, or the current level is irreversible",
  CHALLENGE: "no such challenge, or it expired or was already used: ask for a new one with `guillotine ops challenge`",
  OPERATOR: "no operator with that index is provisioned: check --operator against the configuration's operator list",
  DUPLICATE: "this operator already signed this challenge: another operator must sign",
  SIGNATURE: "signature wrong: check the key file, the operator index, the controller id and that it signs this challenge",
  ARM: "the arm input was not active when the quorum completed: nothing happened and the challenge is used up",
  RATE: "challenges are limited to one per second: wait a moment and try again",
  CONFIG: "the controller is not provisioned: run `guillotine provision` in maintenance mode",
  LINK: "this port is the controller's host link, not its ops link: use the ops link's port",
  SYNTAX: "the controller found the frame malformed: a damaged line or a bug in this tool",
  UNKNOWN: "the controller does not know this frame type: is its firmware older than this tool?",
  TOOLONG: "the frame was too long for the controller",
  CHARSET: "the frame reached the controller with a non-printable byte: check the line",
};

export function explainRefusal(code: string): string {
  return `ERR ${code}: ${ADVICE[code] ?? "refused"}`;
}
