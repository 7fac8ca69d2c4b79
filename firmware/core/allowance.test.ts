import { describe, expect, it } from "vitest";
import { LINK_HOST, LINK_OPS } from "../../protocol/constants.ts";
import { ALLOWANCE_ERROR_REPLIES, ALLOWANCE_REJECTS, ALLOWANCE_REPLY_BYTES, Allowances } from "./allowance.ts";

describe("Allowances", () => {
  it("keeps each kind and link apart, and refills a slot when its window has passed", () => {
    const allowances = new Allowances();
    expect(allowances.take(ALLOWANCE_REJECTS + LINK_HOST, 0, 1000, 2, 2)).toBe(true);
    expect(allowances.take(ALLOWANCE_REJECTS + LINK_HOST, 999, 1000, 1, 2)).toBe(false);
    for (const slot of [ALLOWANCE_REJECTS + LINK_OPS, ALLOWANCE_ERROR_REPLIES + LINK_HOST, ALLOWANCE_ERROR_REPLIES + LINK_OPS, ALLOWANCE_REPLY_BYTES + LINK_HOST, ALLOWANCE_REPLY_BYTES + LINK_OPS]) {
      expect(allowances.take(slot, 999, 1000, 2, 2)).toBe(true);
    }
    expect(allowances.take(ALLOWANCE_REJECTS + LINK_HOST, 1000, 1000, 2, 2)).toBe(true);
  });

  it("spends nothing when the amount does not fit", () => {
    const allowances = new Allowances();
    expect(allowances.take(ALLOWANCE_REPLY_BYTES + LINK_OPS, 0, 1000, 100, 64)).toBe(false);
    expect(allowances.take(ALLOWANCE_REPLY_BYTES + LINK_OPS, 1, 1000, 64, 64)).toBe(true);
  });
});
