/**
 * Simulated flash: the Storage area that holds files, boot code (E.setBootCode) and saved
 * code (save()), with Espruino's semantics (src/jsflash.c, jsfWriteFile):
 * - names longer than 28 characters are silently truncated;
 * - a file is written once: a write at offset 0 that differs replaces the file (the old copy
 *   becomes trash until compact()), writes at an offset fill a file created bigger than its
 *   first data, and only into bytes still erased (0xFF);
 * - an identical rewrite is skipped (no wear).
 *
 * Kept in memory, or in a state directory (one JSON file, replaced atomically on the host) so
 * that a long-running `guillotine sim` keeps its flash across process restarts.
 *
 * A power loss in the middle of a write is injected with armTornWrite(): the file is left
 * partly written (the rest still 0xFF) and a replaced file's old copy is already gone.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "./rng.ts";

/** JsfFileName is 28 bytes: longer names are cut, silently. */
export const FILE_NAME_CHARS_MAX = 28;
/** JsfFileHeader: 4 bytes of size and flags, then the 28-byte name. */
export const FILE_HEADER_BYTES = 32;
/** Files start on this boundary (JSF_ALIGNMENT on STM32). */
export const FLASH_ALIGN_BYTES = 4;
export const ERASED_BYTE = 0xff;
/** Storage of an Espruino Pico (docs/espruino.md section 3); profiles with more pass their own. */
export const FLASH_CAPACITY_BYTES_DEFAULT = 48 * 1024;
const STATE_FILE_NAME = "flash.json";
const STATE_FORMAT_VERSION = 1;

/** What Storage.getStats() reports. */
export interface FlashStats {
  totalBytes: number;
  freeBytes: number;
  fileBytes: number;
  fileCount: number;
  trashBytes: number;
  trashCount: number;
}

/** Host-side counters for checkers ("do not write flash on every heartbeat"). */
export interface FlashWear {
  writes: number;
  bytesWritten: number;
  compactions: number;
}

export interface FlashOptions {
  capacityBytes?: number;
  /** Directory for persistent state; created when missing. Omit for an in-memory flash. */
  stateDirectory?: string;
  /** Seeds the cut point of torn writes and corruption when the fault gives none. */
  seed?: number;
}

/** Thrown out of a Storage write when the injected power loss cuts it. */
export class PowerLossError extends Error {
  constructor(file: string) {
    super(`power lost while writing ${JSON.stringify(file)}`);
  }
}

/** An Espruino Storage error; the runtime rethrows it as an Error inside the interpreter. */
export class StorageError extends Error {}

interface TornWriteTrap {
  file: string | undefined;
  afterBytes: number | undefined;
  onPowerLoss: () => void;
}

export function truncateFileName(name: string): string {
  return name.slice(0, FILE_NAME_CHARS_MAX);
}

function allocatedBytes(sizeBytes: number): number {
  return FILE_HEADER_BYTES + Math.ceil(sizeBytes / FLASH_ALIGN_BYTES) * FLASH_ALIGN_BYTES;
}

export class Flash {
  readonly capacityBytes: number;
  readonly stateDirectory: string | undefined;
  private files = new Map<string, Uint8Array>();
  private trash = { bytes: 0, count: 0 };
  private wearCounts: FlashWear = { writes: 0, bytesWritten: 0, compactions: 0 };
  private tornWrite: TornWriteTrap | undefined;
  private rng: Rng;

  constructor(options: FlashOptions = {}) {
    this.capacityBytes = options.capacityBytes ?? FLASH_CAPACITY_BYTES_DEFAULT;
    assert(this.capacityBytes > FILE_HEADER_BYTES, "flash capacity too small");
    this.stateDirectory = options.stateDirectory;
    this.rng = new Rng(options.seed ?? 0).derive("flash");
    if (this.stateDirectory !== undefined) this.load(this.stateDirectory);
  }

  /** Contents of `name` (a copy), or undefined. */
  read(name: string): Uint8Array | undefined {
    const bytes = this.files.get(truncateFileName(name));
    return bytes === undefined ? undefined : bytes.slice();
  }

  has(name: string): boolean {
    return this.files.has(truncateFileName(name));
  }

  /** Names in flash order (oldest first), system files included, as Storage.list() gives them. */
  list(): string[] {
    return [...this.files.keys()];
  }

  /**
   * jsfWriteFile: writes `data` at `offset` of file `name`, creating it with `sizeBytes`
   * (default: the data's length) when offset is 0. Returns false for a negative offset or
   * size, as Espruino does; throws StorageError with Espruino's messages otherwise.
   */
  write(name: string, data: Uint8Array, offset = 0, sizeBytes = 0): boolean {
    if (offset < 0 || sizeBytes < 0) return false;
    const fileName = truncateFileName(name);
    const size = sizeBytes === 0 ? data.length : sizeBytes;
    if (size === 0) throw new StorageError("Can't create zero length file");
    let file = this.files.get(fileName);
    if (offset === 0 && file !== undefined && file.length === size && data.length === size && equalBytes(file, data)) return true;
    if (offset === 0 && (file === undefined || file.length !== size || !isErased(file, 0, size))) {
      if (file !== undefined) this.trashFile(fileName);
      file = this.create(fileName, size);
    }
    if (file === undefined) throw new StorageError("Unable to find or create file");
    if (offset + data.length > file.length) throw new StorageError("Too much data for file size");
    if (!isErased(file, offset, data.length)) throw new StorageError("File already written with different data");
    this.program(fileName, file, data, offset);
    return true;
  }

  /** Erases file `name` (it becomes trash). Unknown names are ignored, as on Espruino. */
  erase(name: string): void {
    const fileName = truncateFileName(name);
    if (!this.files.has(fileName)) return;
    this.trashFile(fileName);
    this.persist();
  }

  /** Storage.eraseAll(): every file, saved and boot code included. */
  eraseAll(): void {
    this.files.clear();
    this.trash = { bytes: 0, count: 0 };
    this.persist();
  }

  /** Reclaims trash. */
  compact(): void {
    this.trash = { bytes: 0, count: 0 };
    this.wearCounts.compactions++;
    this.persist();
  }

  stats(): FlashStats {
    let fileBytes = 0;
    for (const bytes of this.files.values()) fileBytes += allocatedBytes(bytes.length);
    const freeBytes = this.capacityBytes - fileBytes - this.trash.bytes;
    assert(freeBytes >= 0, "flash over-allocated");
    return { totalBytes: this.capacityBytes, freeBytes, fileBytes, fileCount: this.files.size, trashBytes: this.trash.bytes, trashCount: this.trash.count };
  }

  wear(): FlashWear {
    return { ...this.wearCounts };
  }

  /** Arms a power loss in the middle of the next write (to `file`, or any file). */
  armTornWrite(file: string | undefined, afterBytes: number | undefined, onPowerLoss: () => void): void {
    this.tornWrite = { file: file === undefined ? undefined : truncateFileName(file), afterBytes, onPowerLoss };
  }

  /** Flips one random bit in each of `count` random bytes of `name` (seeded). Returns false when absent. */
  corrupt(name: string, count: number): boolean {
    const file = this.files.get(truncateFileName(name));
    if (file === undefined || file.length === 0) return false;
    for (let flip = 0; flip < count; flip++) file[this.rng.int(file.length)] ^= 1 << this.rng.int(8);
    this.persist();
    return true;
  }

  private create(fileName: string, size: number): Uint8Array | undefined {
    if (this.stats().freeBytes < allocatedBytes(size)) this.compact();
    if (this.stats().freeBytes < allocatedBytes(size)) return undefined;
    const file = new Uint8Array(size).fill(ERASED_BYTE);
    this.files.set(fileName, file);
    return file;
  }

  private trashFile(fileName: string): void {
    const bytes = this.files.get(fileName)!;
    this.files.delete(fileName);
    this.trash.bytes += allocatedBytes(bytes.length);
    this.trash.count++;
  }

  /** Flash programming clears bits only; a torn write stops part-way and cuts the power. */
  private program(fileName: string, file: Uint8Array, data: Uint8Array, offset: number): void {
    const trap = this.tornWrite;
    const tears = trap !== undefined && (trap.file === undefined || trap.file === fileName) && data.length > 0;
    const length = tears ? Math.min(trap.afterBytes ?? this.rng.int(data.length), data.length - 1) : data.length;
    for (let index = 0; index < length; index++) file[offset + index] &= data[index];
    this.wearCounts.writes++;
    this.wearCounts.bytesWritten += length;
    this.persist();
    if (!tears) return;
    this.tornWrite = undefined;
    trap.onPowerLoss();
    throw new PowerLossError(fileName);
  }

  private persist(): void {
    if (this.stateDirectory === undefined) return;
    const state = {
      version: STATE_FORMAT_VERSION,
      capacityBytes: this.capacityBytes,
      files: [...this.files].map(([name, bytes]) => ({ name, base64: Buffer.from(bytes).toString("base64") })),
      trash: this.trash,
      wear: this.wearCounts,
    };
    mkdirSync(this.stateDirectory, { recursive: true });
    const path = join(this.stateDirectory, STATE_FILE_NAME);
    writeFileSync(`${path}.tmp`, JSON.stringify(state));
    renameSync(`${path}.tmp`, path);
  }

  private load(directory: string): void {
    const path = join(directory, STATE_FILE_NAME);
    if (!existsSync(path)) return;
    const state = JSON.parse(readFileSync(path, "utf8"));
    assert(state.version === STATE_FORMAT_VERSION, `${path}: unknown flash state version ${state.version}`);
    assert(state.capacityBytes === this.capacityBytes, `${path}: holds ${state.capacityBytes} bytes of flash, this board has ${this.capacityBytes}`);
    for (const file of state.files) this.files.set(file.name, new Uint8Array(Buffer.from(file.base64, "base64")));
    this.trash = state.trash;
    this.wearCounts = state.wear;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function isErased(file: Uint8Array, offset: number, length: number): boolean {
  for (let index = offset; index < offset + length; index++) if (file[index] !== ERASED_BYTE) return false;
  return true;
}
