import { describe, expect, it } from "vitest";
import { isControllerId, isDecimal, parseLevel } from "./fields.ts";
import { equalConstantTime, fromHex, isHex, toHex } from "./hex.ts";

describe("isDecimal", () => {
  it("accepts unsigned decimal up to the digit limit", () => {
    for (const text of ["0", "7", "10", "4294967295"]) expect(isDecimal(text, 10)).toBe(true);
  });

  it("refuses leading zeros, signs, spaces, other digits and too many digits", () => {
    for (const text of ["", "00", "01", "-1", "+1", " 1", "1 ", "1.0", "1e3", "٣", "12345678901"]) expect(isDecimal(text, 10)).toBe(false);
    expect(isDecimal("12", 1)).toBe(false);
  });
});

describe("parseLevel", () => {
  it("reads 0-5 and refuses everything else with -1", () => {
    expect(["0", "1", "2", "3", "4", "5"].map(parseLevel)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const text of ["6", "9", "00", "-1", "", "a", "10"]) expect(parseLevel(text)).toBe(-1);
  });
});

describe("isControllerId", () => {
  it("accepts 1-16 of a-z, 0-9 and '-'", () => {
    for (const text of ["a", "ctl-1", "0-9", "abcdefghijklmnop"]) expect(isControllerId(text)).toBe(true);
  });

  it("refuses empty, long, upper-case and other characters", () => {
    for (const text of ["", "abcdefghijklmnopq", "Ctl", "ctl_1", "ctl 1", "ctl.1", "é"]) expect(isControllerId(text)).toBe(false);
  });
});

describe("hex", () => {
  it("isHex wants exactly that many lowercase hex digits", () => {
    expect(isHex("0123456789abcdef", 16)).toBe(true);
    expect(isHex("", 0)).toBe(true);
    for (const text of ["0123456789ABCDEF", "0123456789abcdeg", "0123456789abcde", "0123456789abcdef0", "0123456789abcde "]) expect(isHex(text, 16)).toBe(false);
  });

  it("toHex and fromHex are inverse; toHex can stop early", () => {
    const bytes = new Uint8Array([0, 1, 0x7f, 0x80, 0xff]);
    expect(toHex(bytes)).toBe("00017f80ff");
    expect(toHex(bytes, 2)).toBe("0001");
    expect([...fromHex("00017f80ff")]).toEqual([...bytes]);
    // Four bytes per parse and the rest byte by byte, words with leading zero digits padded.
    for (const hex of ["", "ff", "0123456789abcdef01", "0000000100000010", "0123456789abcdef".repeat(4)]) expect(toHex(fromHex(hex))).toBe(hex);
  });

  it("equalConstantTime compares like === for strings of any length", () => {
    expect(equalConstantTime("abc", "abc")).toBe(true);
    expect(equalConstantTime("abc", "abd")).toBe(false);
    expect(equalConstantTime("abc", "ab")).toBe(false);
    expect(equalConstantTime("", "")).toBe(true);
  });
});
