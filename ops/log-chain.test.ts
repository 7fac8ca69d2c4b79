import { describe, expect, it } from "vitest";
import { entryHash, verifyLogChain, ZERO_HASH } from "./log-chain.ts";
import type { LogEntry } from "./log-chain.ts";
import { formatLogExport, parseLogExport } from "./log-file.ts";

function chain(count: number, firstIndex = 0): LogEntry[] {
  const entries: LogEntry[] = [];
  let prev = firstIndex === 0 ? ZERO_HASH : "ab".repeat(16);
  for (let i = 0; i < count; i++) {
    const entry = { index: firstIndex + i, boot: 1 + (i >> 2), uptimeS: 10 * i, cause: i === 0 ? "boot" : "deadline", level: i % 4, count: 1, prev };
    entries.push(entry);
    prev = entryHash(entry);
  }
  return entries;
}

const endOf = (entries: LogEntry[]) => ({ next: entries[entries.length - 1].index + 1, head: entryHash(entries[entries.length - 1]) });

describe("verifyLogChain", () => {
  it("accepts an intact chain from the first entry ever", () => {
    const entries = chain(6);
    expect(verifyLogChain(entries, endOf(entries))).toMatchObject({ ok: true, first: 0, last: 5, complete: true });
  });

  it("accepts a chain whose oldest entries were dropped, and says so", () => {
    const entries = chain(16, 20);
    expect(verifyLogChain(entries, endOf(entries))).toMatchObject({ ok: true, first: 20, last: 35, complete: false });
  });

  it("reports the first broken link: a changed level", () => {
    const entries = chain(6);
    const end = endOf(entries);
    entries[2] = { ...entries[2], level: 0 === entries[2].level ? 1 : 0 };
    expect(verifyLogChain(entries, end)).toMatchObject({ ok: false, index: 3, problem: expect.stringContaining("entry 2 hashes to") });
  });

  it("reports a missing entry, a wrong head, a false first entry and a truncated tail", () => {
    const entries = chain(6);
    const end = endOf(entries);
    expect(verifyLogChain([...entries.slice(0, 2), ...entries.slice(3)], end)).toMatchObject({ ok: false, index: 3, problem: expect.stringContaining("missing") });
    expect(verifyLogChain(entries, { ...end, head: "00".repeat(16) })).toMatchObject({ ok: false, index: 5 });
    expect(verifyLogChain([{ ...entries[0], prev: "11".repeat(16) }], endOf([entries[0]]))).toMatchObject({ ok: false, index: 0 });
    expect(verifyLogChain(entries.slice(0, 4), end)).toMatchObject({ ok: false, problem: expect.stringContaining("next index is 6") });
  });

  it("round-trips through the export file format", () => {
    const entries = chain(3);
    const text = formatLogExport("ctl-1", { entries, end: endOf(entries) }, new Date(0));
    expect(parseLogExport(text)).toEqual({ entries, end: endOf(entries) });
    expect(parseLogExport(text.replace(/LOGEND.*\n/, ""))).toEqual({ error: "no LOGEND line: the export is cut short" });
    expect(parseLogExport("LOG 1 2\n")).toHaveProperty("error");
  });
});
