/**
 * The single outstanding operator challenge: a fresh nonce from the controller, a target
 * level, an expiry, and the set of operators who signed it. It is consumed when enough
 * signatures arrive, replaced by the next challenge, and dropped on every level change (each
 * replaced by a new instance; one with an empty nonce is no challenge), so signatures
 * gathered for one situation never act on another.
 */
import { tag, type HmacKey } from "../../protocol/hmac.ts";
import { authSignatureInput } from "../../protocol/messages.ts";
import { equalConstantTime } from "../../protocol/hex.ts";

export const AUTH_OK = 0;
export const AUTH_NO_CHALLENGE = 1;
export const AUTH_DUPLICATE = 2;
export const AUTH_BAD_SIGNATURE = 3;

export class Challenge {
  nonce: string;
  target: number;
  need: number;
  expiresMs: number;
  /** Bit per operator index who signed. */
  signed = 0;
  /** Number of distinct operators who signed. */
  have = 0;
  active: boolean;

  constructor(nonce: string, target: number, need: number, expiresMs: number) {
    this.nonce = nonce;
    this.target = target;
    this.need = need;
    this.expiresMs = expiresMs;
    this.active = nonce !== "";
  }

  /** Checks and records one operator's signature; returns an AUTH_ code. */
  sign(controllerId: string, nonce: string, operator: number, key: HmacKey, signature: string, nowMs: number): number {
    if (!this.active || nowMs >= this.expiresMs || !equalConstantTime(nonce, this.nonce)) return AUTH_NO_CHALLENGE;
    if ((this.signed >> operator) & 1) return AUTH_DUPLICATE;
    const expected = tag(key, authSignatureInput(controllerId, this.nonce, this.target));
    if (!equalConstantTime(signature, expected)) return AUTH_BAD_SIGNATURE;
    this.signed |= 1 << operator;
    this.have++;
    return AUTH_OK;
  }
}
