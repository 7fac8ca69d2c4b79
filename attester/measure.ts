/**
 * Computes the attestation digest sent in every heartbeat: the first 16 bytes of SHA-256 over
 * one record per measurement source, in a canonical order (files by path, commands by their
 * argv, PCRs by index), so reordering the configuration does not change the digest.
 *
 * Reading a source never throws: a missing file, a failing command or an absent PCR becomes
 * part of its record ("missing", "exit 1", "absent"), so the digest changes and the controller,
 * which only knows the allowlisted digests, trips. Doubt is never hidden.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { MEASUREMENT_HEX_CHARS } from "../protocol/constants.ts";
import type { MeasurementSources } from "./config.ts";

/** Where Linux exposes the SHA-256 bank of TPM 2.0 PCRs. */
export const TPM_PCR_FOLDER = "/sys/class/tpm/tpm0/pcr-sha256";

/** System calls, injected so tests can fake slow or failing sources. */
export interface MeasureDeps {
  readFile(path: string): Promise<Buffer>;
  runCommand(argv: string[], timeoutMs: number): Promise<{ exitCode: number; stdout: Buffer }>;
  pcrFolder: string;
}

export const systemMeasureDeps: MeasureDeps = {
  readFile: (path) => readFile(path),
  runCommand: (argv, timeoutMs) =>
    new Promise((resolve) => {
      execFile(argv[0], argv.slice(1), { timeout: timeoutMs, encoding: "buffer", maxBuffer: 64 << 20 }, (error, stdout) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ exitCode: code, stdout: stdout ?? Buffer.alloc(0) });
      });
    }),
  pcrFolder: TPM_PCR_FOLDER,
};

export interface Measurement {
  /** 32 hex digits, the value of the heartbeat's measurement field. */
  digest: string;
  /** One line per source, for `guillotine agent measure` and the journal. */
  records: string[];
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

async function fileRecord(path: string, deps: MeasureDeps): Promise<string> {
  try {
    return `file ${JSON.stringify(path)} ${sha256Hex(await deps.readFile(path))}`;
  } catch (error) {
    return `file ${JSON.stringify(path)} missing ${(error as NodeJS.ErrnoException).code ?? "error"}`;
  }
}

async function commandRecord(argv: string[], timeoutMs: number, deps: MeasureDeps): Promise<string> {
  const { exitCode, stdout } = await deps.runCommand(argv, timeoutMs);
  return `command ${JSON.stringify(argv)} exit ${exitCode} ${sha256Hex(stdout)}`;
}

async function pcrRecord(index: number, deps: MeasureDeps): Promise<string> {
  try {
    const value = (await deps.readFile(`${deps.pcrFolder}/${index}`)).toString("latin1").trim().toLowerCase();
    return `pcr ${index} ${value}`;
  } catch {
    return `pcr ${index} absent`;
  }
}

/** Measures every source, in canonical order. */
export async function measure(sources: MeasurementSources, commandTimeoutMs: number, deps: MeasureDeps = systemMeasureDeps): Promise<Measurement> {
  const files = [...sources.files].sort();
  const commands = [...sources.commands].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  const pcrs = [...new Set(sources.tpmPcrs)].sort((a, b) => a - b);
  const records = await Promise.all([
    ...files.map((path) => fileRecord(path, deps)),
    ...commands.map((argv) => commandRecord(argv, commandTimeoutMs, deps)),
    ...pcrs.map((index) => pcrRecord(index, deps)),
  ]);
  const digest = sha256Hex(records.join("\n") + "\n").slice(0, MEASUREMENT_HEX_CHARS);
  return { digest, records };
}
