import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createKeyFile, KeyExistsError } from "../ops/keys/create-key.ts";
import { KeyFileError, readKeyFile } from "./key-file.ts";

const folder = mkdtempSync(join(tmpdir(), "guillotine-keys-"));

describe("key files", () => {
  it("creates a 64-hex key with mode 0600 that reads back", () => {
    const path = join(folder, "host.key");
    createKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readKeyFile(path)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses to overwrite an existing key", () => {
    const path = join(folder, "twice.key");
    createKeyFile(path);
    const before = readKeyFile(path);
    expect(() => createKeyFile(path)).toThrow(KeyExistsError);
    expect(readKeyFile(path)).toBe(before);
  });

  it.each([0o640, 0o604, 0o660, 0o644])("refuses a key file with mode %o and says how to fix it", (mode) => {
    const path = join(folder, `loose-${mode.toString(8)}.key`);
    writeFileSync(path, "ab".repeat(32) + "\n");
    chmodSync(path, mode);
    expect(() => readKeyFile(path)).toThrow(KeyFileError);
    expect(() => readKeyFile(path)).toThrow(`chmod 600 ${path}`);
  });

  it("refuses malformed and missing key files with a clear message", () => {
    const path = join(folder, "short.key");
    writeFileSync(path, "abcd\n", { mode: 0o600 });
    expect(() => readKeyFile(path)).toThrow(/exactly 64 lowercase hex digits/);
    expect(() => readKeyFile(join(folder, "absent.key"))).toThrow(/not found; create it with `guillotine keys create/);
  });

  it.each([
    ["a directory", (path: string) => mkdirSync(path, { mode: 0o755 }), /is a directory, not a regular file/],
    ["a FIFO", (path: string) => execFileSync("mkfifo", ["-m", "600", path]), /is a FIFO \(named pipe\), not a regular file/],
    ["a symlink to a device", (path: string) => symlinkSync("/dev/zero", path), /\(a symlink to \/dev\/zero\) is a character device, not a regular file/],
  ])("refuses %s as a key file at once, naming what it is, without chmod advice", (_what, make, message) => {
    const path = join(folder, `odd-${_what.replaceAll(" ", "-")}.key`);
    make(path);
    expect(() => readKeyFile(path)).toThrow(message);
    expect(() => readKeyFile(path)).not.toThrow(/chmod/);
  });
});
