/**
 * A heartbeat's syntax (docs/protocol.md section 5) judged field by field with the wire
 * format's own field checks, against what the controller answers: the one match that parses
 * a heartbeat (frame-handlers.ts dispatch) must refuse exactly the lines those checks refuse.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FRAME_BYTES_MAX, LINK_HOST, MEASUREMENT_HEX_CHARS, SEQUENCE_MAX, SESSION_HEX_CHARS, TAG_HEX_CHARS } from "../../protocol/constants.ts";
import { isDecimal, parseLevel } from "../../protocol/fields.ts";
import { isHex } from "../../protocol/hex.ts";
import { isPrintable } from "../../protocol/lines.ts";
import { Rig } from "./test-fixture.ts";

/** What a field is drawn from: the valid field, or characters near the valid ones. */
const fieldText = (valid: string) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(valid) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFgz-+ \t\x00é"), maxLength: 40 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: valid.length }).map((cut) => valid.slice(0, cut) + valid.slice(cut + 1)) },
    { weight: 2, arbitrary: fc.constantFrom("0" + valid, valid + "0", valid.toUpperCase(), "4294967295", "4294967296", "0", "00", "6", "9") },
  );

/** The fields' rules as protocol section 5 states them. */
function wellFormed(fields: string[]): boolean {
  if (fields.length !== 6 || fields[0] !== "HB") return false;
  const [, session, seq, level, measurement, mac] = fields;
  const n = isDecimal(seq, 10) ? Number(seq) : 0;
  return isHex(session, SESSION_HEX_CHARS) && n >= 1 && n <= SEQUENCE_MAX && parseLevel(level) >= 0 && isHex(measurement, MEASUREMENT_HEX_CHARS) && isHex(mac, TAG_HEX_CHARS);
}

describe("a heartbeat's syntax", () => {
  it("is refused with ERR SYNTAX exactly when a field breaks its rule (ERR CHARSET or ERR TOOLONG first where they apply)", () => {
    const rig = new Rig();
    rig.boot(0);
    const [, session, seq, level, measurement, mac] = rig.heartbeat(1).trim().split(" ");
    fc.assert(
      fc.property(fieldText(session), fieldText(seq), fieldText(level), fieldText(measurement), fieldText(mac), (...fields) => {
        const line = ["HB", ...fields].join(" ");
        // Spaced out so that no rate limit withholds the reply.
        rig.receive(LINK_HOST, line + "\n", rig.nowMs + 300);
        const reply = rig.sent.length > 0 ? rig.sent[rig.sent.length - 1].text : "";
        rig.sent = [];
        const parts = line.split(" ");
        const expected = line.length > FRAME_BYTES_MAX - 1 ? "ERR TOOLONG" : !isPrintable(line) ? "ERR CHARSET" : parts.indexOf("") >= 0 || !wellFormed(parts) ? "ERR SYNTAX" : undefined;
        if (expected === undefined) expect(reply, line).not.toMatch(/^ERR (SYNTAX|CHARSET|TOOLONG)$/);
        else expect(reply, line).toBe(expected);
      }),
      { numRuns: 3000, seed: 12 },
    );
  });
});
