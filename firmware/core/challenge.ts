/**
 * The single outstanding operator challenge: a fresh nonce from the controller, a target
 * level, an expiry, and the set of operators who signed it. It is consumed when enough
 * signatures arrive, replaced by the next challenge, and dropped on every level change (the
 * controller then holds none), so signatures
 * gathered for one situation never act on another. Signatures are checked by the AUTH
 * handler (frame-handlers.ts): data only here, as a method costs blocks on the board.
 */
export class Challenge {
  nonce: string;
  target: number;
  need: number;
  expiresMs: number;
  /** Bit per operator index who signed. */
  signed = 0;
  /** Number of distinct operators who signed. */
  have = 0;

  constructor(nonce: string, target: number, need: number, expiresMs: number) {
    this.nonce = nonce;
    this.target = target;
    this.need = need;
    this.expiresMs = expiresMs;
  }
}
