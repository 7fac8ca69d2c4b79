/**
 * Turns the lab's configuration file into the exact text provisioning stores. The file is a
 * ControllerConfig (protocol/config.ts); its keys may instead come from key files
 * (--host-key, --operator-key), so a lab can keep a non-secret template and the keys apart.
 * Validation is the firmware's own validateConfig: a file the tool accepts is one the
 * controller accepts.
 */
import { storedConfig, validateConfig } from "../../protocol/config.ts";
import type { ControllerConfig } from "../../protocol/config.ts";
import { readInputFile } from "../../kit/input-file.ts";
import { checkPrivateFile, readKeyFile } from "../../kit/key-file.ts";
import { isObject } from "../../kit/json-fields.ts";

export class ConfigFileError extends Error {}

export interface PreparedConfig {
  config: ControllerConfig;
  /** `<sha256 of json> <json>`, as stored in CONFIG_FILE. */
  fileText: string;
  /** The digest at the front of fileText: what the controller and the operators compare. */
  jsonDigest: string;
}

export interface KeySources {
  hostKeyFile?: string;
  operatorKeyFiles: string[];
}

function parseFile(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readInputFile(path, "configuration file"));
  } catch (error) {
    throw new ConfigFileError(`${path}: ${(error as Error).message}`);
  }
  if (!isObject(value)) throw new ConfigFileError(`${path}: must be a JSON object`);
  return value;
}

export function prepareConfig(path: string, keys: KeySources): PreparedConfig {
  const value = parseFile(path);
  // A file that carries keys is as secret as a key file.
  if ("hostKey" in value || "operators" in value) checkPrivateFile(path, "configuration file");
  if (keys.hostKeyFile !== undefined) value.hostKey = readKeyFile(keys.hostKeyFile);
  if (keys.operatorKeyFiles.length > 0) value.operators = keys.operatorKeyFiles.map(readKeyFile);
  const result = validateConfig(value);
  if (result.config === undefined) {
    throw new ConfigFileError(`${path} is not a valid controller configuration:\n  ${result.errors.join("\n  ")}`);
  }
  const fileText = storedConfig(result.config);
  return { config: result.config, fileText, jsonDigest: fileText.slice(0, 64) };
}

/** What provisioning shows about a configuration: everything but the keys. */
export function describeConfig(config: ControllerConfig): string[] {
  return [
    `controller ${config.id}: ${config.operators.length} operators, quorum ${config.quorum}`,
    `measurements allowed: ${config.measurements.join(", ")}`,
    `deadlines ${config.deadlineMs.join("/")} ms, control cycle ${config.cycleMs} ms, challenge ttl ${config.challengeTtlS} s`,
  ];
}
