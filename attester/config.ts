/**
 * The attester's configuration file (JSON) and its validation. Every error names the field
 * and the problem; unknown fields are errors, so a typo cannot silently drop a measurement.
 */
import { readInputFile } from "../kit/input-file.ts";
import { dirname, resolve } from "node:path";
import { isControllerId } from "../protocol/fields.ts";
import { BAUD_RATE_DEFAULT, parseEndpoint } from "../kit/transport/endpoint.ts";
import { arrayField, integerField, isObject, rejectUnknownFields, stringField } from "../kit/json-fields.ts";
import type { Json } from "../kit/json-fields.ts";

export interface MeasurementSources {
  /** Files whose SHA-256 enters the digest (kernel, hypervisor binaries, policy files). */
  files: string[];
  /** Commands (argv, no shell) whose exit code and standard output enter the digest. */
  commands: string[][];
  /** TPM PCR indexes read from /sys/class/tpm/tpm0/pcr-sha256/N. */
  tpmPcrs: number[];
}

export interface AgentConfig {
  controllerId: string;
  /** Serial device path of the host link, or tcp://HOST:PORT for the simulated board. */
  port: string;
  baud: number;
  heartbeatPeriodMs: number;
  /** Host key file (mode 0600); a relative path is taken from the config file's folder. */
  keyFile: string;
  /** Unix socket through which the hypervisor asks for a higher level. */
  socketPath: string;
  /** How often the measurement sources are read again. */
  measureEveryMs: number;
  /** Longest a measurement command may run; a command that overruns counts as failed. */
  commandTimeoutMs: number;
  measurements: MeasurementSources;
}

export const SOCKET_PATH_DEFAULT = "/run/guillotine/agent.sock";
const TPM_PCR_MAX = 23;
const FIELDS = [
  "controllerId", "port", "baud", "heartbeatPeriodMs", "keyFile", "socketPath",
  "measureEveryMs", "commandTimeoutMs", "measurements",
];
const SOURCE_FIELDS = ["files", "commands", "tpmPcrs"];

function validateSources(value: unknown, errors: string[]): MeasurementSources {
  const sources: MeasurementSources = { files: [], commands: [], tpmPcrs: [] };
  if (!isObject(value)) {
    errors.push("measurements: is required: an object with files, commands and/or tpmPcrs");
    return sources;
  }
  rejectUnknownFields(value, SOURCE_FIELDS, "measurements.", errors);
  const prefixed: string[] = [];
  sources.files = arrayField<string>(value, "files", (item) =>
    typeof item === "string" && item !== "" ? undefined : "must be a file path", prefixed);
  sources.commands = arrayField<string[]>(value, "commands", (item) =>
    Array.isArray(item) && item.length > 0 && item.every((part) => typeof part === "string" && part !== "")
      ? undefined : "must be a non-empty argv array of strings, e.g. [\"uname\", \"-r\"]", prefixed);
  sources.tpmPcrs = arrayField<number>(value, "tpmPcrs", (item) =>
    Number.isInteger(item) && (item as number) >= 0 && (item as number) <= TPM_PCR_MAX
      ? undefined : `must be a PCR index 0-${TPM_PCR_MAX}`, prefixed);
  for (const error of prefixed) errors.push("measurements." + error);
  if (sources.files.length + sources.commands.length + sources.tpmPcrs.length === 0) {
    errors.push("measurements: lists no source; add at least one of files, commands, tpmPcrs");
  }
  return sources;
}

function validatePort(object: Json, errors: string[]): string {
  const port = stringField(object, "port", errors);
  if (port !== "") {
    const endpoint = parseEndpoint(port);
    if ("error" in endpoint) errors.push(`port: ${endpoint.error}`);
  }
  return port;
}

export function validateAgentConfig(value: unknown): { config: AgentConfig } | { errors: string[] } {
  if (!isObject(value)) return { errors: ["the configuration must be a JSON object"] };
  const errors: string[] = [];
  rejectUnknownFields(value, FIELDS, "", errors);
  const controllerId = stringField(value, "controllerId", errors);
  if (controllerId !== "" && !isControllerId(controllerId)) {
    errors.push(`controllerId: must be 1-16 characters of a-z, 0-9 and '-', got ${JSON.stringify(controllerId)}`);
  }
  const config: AgentConfig = {
    controllerId,
    port: validatePort(value, errors),
    baud: integerField(value, "baud", 1200, 4000000, errors, BAUD_RATE_DEFAULT),
    heartbeatPeriodMs: integerField(value, "heartbeatPeriodMs", 20, 2000, errors, 200),
    keyFile: stringField(value, "keyFile", errors),
    socketPath: stringField(value, "socketPath", errors, SOCKET_PATH_DEFAULT),
    measureEveryMs: integerField(value, "measureEveryMs", 1000, 86400000, errors, 60000),
    commandTimeoutMs: integerField(value, "commandTimeoutMs", 100, 600000, errors, 10000),
    measurements: validateSources(value.measurements, errors),
  };
  return errors.length > 0 ? { errors } : { config };
}

/**
 * Reads and validates the file at `path`. Relative keyFile and measured file paths are
 * resolved against the config file's folder, so the file means the same from any cwd.
 */
export function loadAgentConfig(path: string): { config: AgentConfig } | { errors: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInputFile(path, "configuration file"));
  } catch (error) {
    return { errors: [`${path}: ${(error as Error).message}`] };
  }
  const result = validateAgentConfig(parsed);
  if ("errors" in result) return { errors: result.errors.map((error) => `${path}: ${error}`) };
  const base = dirname(resolve(path));
  const config = result.config;
  config.keyFile = resolve(base, config.keyFile);
  config.measurements.files = config.measurements.files.map((file) => resolve(base, file));
  return { config };
}
