/**
 * The single outstanding operator challenge: a fresh nonce from the controller, a target
 * level, an expiry, and the set of operators who signed it. It is consumed when enough
 * signatures arrive, replaced by the next challenge, and dropped on every level change, so
 * signatures gathered for one situation never act on another.
 */
import { tag, type HmacKey } from "../../protocol/hmac.ts";
import { authSignatureInput } from "../../protocol/messages.ts";
import { equalConstantTime } from "../../protocol/hex.ts";

export const AUTH_OK = 0;
export const AUTH_NO_CHALLENGE = 1;
export const AUTH_DUPLICATE = 2;
export const AUTH_BAD_SIGNATURE = 3;

export class Challenge {
  nonce = "";
  target = 0;
  need = 0;
  expiresMs = 0;
  /** Bit per operator index who signed. */
  signed = 0;
  active = false;

  open(nonce: string, target: number, need: number, expiresMs: number): void {
    this.nonce = nonce;
    this.target = target;
    this.need = need;
    this.expiresMs = expiresMs;
    this.signed = 0;
    this.active = true;
  }

  close(): void {
    this.active = false;
    this.nonce = "";
  }

  /** Number of distinct operators who signed. */
  have(): number {
    let count = 0;
    for (let bits = this.signed; bits !== 0; bits >>= 1) count += bits & 1;
    return count;
  }

  /** Checks and records one operator's signature; returns an AUTH_ code. */
  sign(controllerId: string, nonce: string, operator: number, key: HmacKey, signature: string, nowMs: number): number {
    if (!this.active || nowMs >= this.expiresMs || !equalConstantTime(nonce, this.nonce)) return AUTH_NO_CHALLENGE;
    if ((this.signed >> operator) & 1) return AUTH_DUPLICATE;
    const expected = tag(key, authSignatureInput(controllerId, this.nonce, this.target));
    if (!equalConstantTime(signature, expected)) return AUTH_BAD_SIGNATURE;
    this.signed |= 1 << operator;
    return AUTH_OK;
  }
}
