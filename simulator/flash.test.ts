import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ERASED_BYTE, FILE_HEADER_BYTES, FILE_NAME_CHARS_MAX, Flash, PowerLossError, StorageError } from "./flash.ts";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const text = (data: Uint8Array | undefined) => (data === undefined ? undefined : Buffer.from(data).toString("latin1"));

describe("Flash (Storage semantics)", () => {
  it("truncates names longer than 28 characters, silently", () => {
    const flash = new Flash();
    const long = "x".repeat(FILE_NAME_CHARS_MAX) + "-tail";
    flash.write(long, bytes("data"));
    expect(flash.list()).toEqual(["x".repeat(FILE_NAME_CHARS_MAX)]);
    expect(text(flash.read("x".repeat(FILE_NAME_CHARS_MAX) + "-other"))).toBe("data");
  });

  it("returns undefined for an absent file and ignores erasing one", () => {
    const flash = new Flash();
    expect(flash.read("nope")).toBeUndefined();
    flash.erase("nope");
    expect(flash.list()).toEqual([]);
  });

  it("writes in parts into a file created bigger than its first data", () => {
    const flash = new Flash();
    flash.write("a", bytes("Hello"), 0, 14);
    flash.write("a", bytes(" "), 5);
    flash.write("a", bytes("World!!!"), 6);
    expect(text(flash.read("a"))).toBe("Hello World!!!");
  });

  it("refuses what Espruino refuses, with its messages", () => {
    const flash = new Flash();
    expect(() => flash.write("z", new Uint8Array(0))).toThrow(new StorageError("Can't create zero length file"));
    expect(() => flash.write("missing", bytes("x"), 3)).toThrow("Unable to find or create file");
    flash.write("a", bytes("abc"), 0, 4);
    expect(() => flash.write("a", bytes("xy"), 3)).toThrow("Too much data for file size");
    expect(() => flash.write("a", bytes("q"), 1)).toThrow("File already written with different data");
    expect(flash.write("a", bytes("q"), -1)).toBe(false);
  });

  it("replaces a file on a different write at offset 0; the old copy becomes trash until compact()", () => {
    const flash = new Flash({ capacityBytes: 4096 });
    flash.write("cfg", bytes("one"));
    flash.write("cfg", bytes("two!"));
    expect(text(flash.read("cfg"))).toBe("two!");
    const stats = flash.stats();
    expect(stats.fileCount).toBe(1);
    expect(stats.trashCount).toBe(1);
    expect(stats.trashBytes).toBe(FILE_HEADER_BYTES + 4);
    expect(stats.freeBytes).toBe(4096 - 2 * (FILE_HEADER_BYTES + 4));
    flash.compact();
    expect(flash.stats().trashBytes).toBe(0);
  });

  it("skips an identical rewrite (no wear)", () => {
    const flash = new Flash();
    flash.write("state", bytes("same"));
    flash.write("state", bytes("same"));
    expect(flash.wear().writes).toBe(1);
    expect(flash.stats().trashCount).toBe(0);
  });

  it("compacts by itself when full, and fails when even that is not enough", () => {
    const flash = new Flash({ capacityBytes: 256 });
    for (let round = 0; round < 10; round++) flash.write("log", bytes(`entry ${round} `.repeat(5)));
    expect(flash.wear().compactions).toBeGreaterThan(0);
    expect(() => flash.write("huge", new Uint8Array(300).fill(1))).toThrow("Unable to find or create file");
  });

  it("tears a write at a power loss: the old copy is gone and the new one partly written", () => {
    const flash = new Flash();
    flash.write("cfg", bytes("old contents"));
    let powerLost = false;
    flash.armTornWrite("cfg", 4, () => (powerLost = true));
    expect(() => flash.write("cfg", bytes("new contents"))).toThrow(PowerLossError);
    expect(powerLost).toBe(true);
    const torn = flash.read("cfg")!;
    expect(text(torn.subarray(0, 4))).toBe("new ");
    expect([...torn.subarray(4)].every((byte) => byte === ERASED_BYTE)).toBe(true);
    flash.write("other", bytes("fine"));
    expect(text(flash.read("other"))).toBe("fine");
  });

  it("only tears the named file, and picks a seeded cut when none is given", () => {
    const cut = (seed: number) => {
      const flash = new Flash({ seed });
      flash.armTornWrite(undefined, undefined, () => {});
      expect(() => flash.write("x", new Uint8Array(100).fill(0))).toThrow(PowerLossError);
      return flash.read("x")!.indexOf(ERASED_BYTE);
    };
    expect(cut(3)).toBe(cut(3));
    const flash = new Flash();
    flash.armTornWrite("target", 1, () => {});
    flash.write("bystander", bytes("ok"));
    expect(text(flash.read("bystander"))).toBe("ok");
  });

  it("flips bits of a named file on corruption", () => {
    const flash = new Flash({ seed: 9 });
    flash.write("cfg", bytes("AAAAAAAA"));
    expect(flash.corrupt("cfg", 3)).toBe(true);
    expect(text(flash.read("cfg"))).not.toBe("AAAAAAAA");
    expect(flash.corrupt("absent", 1)).toBe(false);
  });

  describe("backed by a state directory", () => {
    let directory: string;
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it("survives a process restart, torn state included", () => {
      directory = mkdtempSync(join(tmpdir(), "flash-test-"));
      const first = new Flash({ stateDirectory: directory });
      first.write("keep", bytes("persisted"));
      first.write("gone", bytes("x"));
      first.erase("gone");
      first.armTornWrite("torn", 2, () => {});
      expect(() => first.write("torn", bytes("abcdef"))).toThrow(PowerLossError);
      const second = new Flash({ stateDirectory: directory });
      expect(text(second.read("keep"))).toBe("persisted");
      expect(second.read("gone")).toBeUndefined();
      expect(text(second.read("torn"))).toBe("ab\xff\xff\xff\xff");
      expect(second.stats()).toEqual(first.stats());
    });

    it("refuses a state directory written for a different flash size", () => {
      directory = mkdtempSync(join(tmpdir(), "flash-test-"));
      new Flash({ stateDirectory: directory, capacityBytes: 4096 }).write("a", bytes("b"));
      expect(() => new Flash({ stateDirectory: directory, capacityBytes: 8192 })).toThrow("holds 4096 bytes");
    });
  });
});
