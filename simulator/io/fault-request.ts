/**
 * Turns a fault request from outside (the control socket, `guillotine sim ctl fault ...`) into
 * a Fault for SimulatedBoard.inject, checking every field, so a typo is answered with what is
 * wrong and what is allowed instead of being injected as something else.
 *
 * Conveniences over the raw Fault: a relay may be named by `path` (name or index) plus `relay`
 * (0 or 1 within the path); a device may be named by its link ("host", "ops", "console").
 */
import type { BoardProfile } from "../../hardware/profile-types.ts";
import { ERROR_FLAGS, type Fault, type FaultKind } from "../faults.ts";

type FieldType = "relay" | "device" | "boolean" | "level" | "count" | "probability" | "file" | "flag" | "time";

interface FieldSpec {
  type: FieldType;
  required: boolean;
}

const required = (type: FieldType): FieldSpec => ({ type, required: true });
const optional = (type: FieldType): FieldSpec => ({ type, required: false });

/** Fields of each fault kind (faults.ts); `path` is accepted wherever `relay` is. */
export const FAULT_FIELDS: Record<FaultKind, Record<string, FieldSpec>> = {
  "relay-welded": { relay: required("relay"), active: optional("boolean") },
  "coil-open": { relay: required("relay"), active: optional("boolean") },
  "feedback-stuck": { relay: required("relay"), level: required("level"), active: optional("boolean") },
  "power-loss": { atMs: optional("time") },
  "power-loss-during-write": { file: optional("file"), afterBytes: optional("count") },
  "firmware-hang": {},
  "flash-corruption": { file: required("file"), bytes: optional("count") },
  "serial-noise": { device: required("device"), bytes: required("count") },
  "link-errors": { device: required("device"), bitFlipProbability: optional("probability"), dropProbability: optional("probability"), active: optional("boolean") },
  "link-unplugged": { device: required("device") },
  "link-replugged": { device: required("device") },
  "error-flag": { flag: required("flag") },
  "memory-pressure": { blocks: required("count") },
};

export const FAULT_KINDS = Object.keys(FAULT_FIELDS) as FaultKind[];

/** The devices a link name stands for on this board. */
export function linkDevices(profile: BoardProfile): Record<string, string> {
  return { host: profile.links.host.device, ops: profile.links.ops.device, console: profile.console };
}

/** Resolves a link name or device name to a device of this board; throws naming the choices. */
export function resolveDevice(profile: BoardProfile, value: unknown): string {
  const links = linkDevices(profile);
  if (typeof value === "string" && value in links) return links[value];
  if (typeof value === "string" && Object.values(links).includes(value)) return value;
  const choices = Object.entries(links).map(([link, device]) => `${link} (${device})`);
  throw new Error(`unknown link ${JSON.stringify(value)}: use one of ${choices.join(", ")}`);
}

/** Validates `request` ({kind, ...fields}) and returns the Fault it asks for. */
export function parseFault(profile: BoardProfile, request: Record<string, unknown>): Fault {
  const kind = request.kind;
  if (typeof kind !== "string" || !(kind in FAULT_FIELDS)) {
    throw new Error(`unknown fault kind ${JSON.stringify(kind)}: use one of ${FAULT_KINDS.join(", ")}`);
  }
  const fields = FAULT_FIELDS[kind as FaultKind];
  const fault: Record<string, unknown> = { kind };
  const given = Object.keys(request).filter((key) => key !== "kind" && key !== "path");
  for (const key of given) {
    if (!(key in fields)) throw new Error(`fault ${kind} has no field "${key}": its fields are ${describeFields(fields)}`);
  }
  if ("path" in request && !("relay" in fields)) throw new Error(`fault ${kind} has no field "path": its fields are ${describeFields(fields)}`);
  for (const [key, spec] of Object.entries(fields)) {
    if (request[key] === undefined) {
      if (spec.required) throw new Error(`fault ${kind} needs "${key}" (${describeType(spec.type)})`);
      continue;
    }
    fault[key] = parseField(profile, kind, key, spec.type, request[key], request.path);
  }
  return fault as Fault;
}

function parseField(profile: BoardProfile, kind: string, key: string, type: FieldType, value: unknown, path: unknown): unknown {
  const fail = (): never => {
    throw new Error(`fault ${kind}: "${key}" must be ${describeType(type)}, got ${JSON.stringify(value)}`);
  };
  switch (type) {
    case "relay":
      return resolveRelay(profile, value, path);
    case "device":
      return resolveDevice(profile, value);
    case "boolean":
      return typeof value === "boolean" ? value : fail();
    case "level":
      return value === 0 || value === 1 ? value : fail();
    case "count":
      return Number.isInteger(value) && (value as number) >= 0 ? value : fail();
    case "time":
      return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fail();
    case "probability":
      return typeof value === "number" && value >= 0 && value <= 1 ? value : fail();
    case "file":
      return typeof value === "string" && value.length > 0 && value.length <= 28 ? value : fail();
    case "flag":
      return ERROR_FLAGS.includes(value as never) ? value : fail();
  }
}

/** Relay index in profile order (path p, relay r is 2p + r), from `relay` alone or `path` + `relay`. */
function resolveRelay(profile: BoardProfile, relay: unknown, path: unknown): number {
  const relayCount = profile.paths.length * 2;
  if (path === undefined) {
    if (Number.isInteger(relay) && (relay as number) >= 0 && (relay as number) < relayCount) return relay as number;
    throw new Error(`relay must be 0..${relayCount - 1} (profile order), or give "path" and relay 0 or 1 within it; got ${JSON.stringify(relay)}`);
  }
  const pathIndex = typeof path === "number" ? path : profile.paths.findIndex((candidate) => candidate.name === path);
  if (!Number.isInteger(pathIndex) || pathIndex < 0 || pathIndex >= profile.paths.length) {
    throw new Error(`unknown path ${JSON.stringify(path)}: use one of ${profile.paths.map((candidate) => candidate.name).join(", ")}`);
  }
  if (relay !== 0 && relay !== 1) throw new Error(`relay within path ${JSON.stringify(path)} must be 0 or 1, got ${JSON.stringify(relay)}`);
  return pathIndex * 2 + relay;
}

function describeFields(fields: Record<string, FieldSpec>): string {
  const names = Object.entries(fields).map(([key, spec]) => (spec.required ? key : `${key}?`));
  return names.length === 0 ? "(none)" : names.join(", ");
}

function describeType(type: FieldType): string {
  switch (type) {
    case "relay":
      return "a relay index, or path + relay";
    case "device":
      return "a link: host, ops or console";
    case "boolean":
      return "true or false";
    case "level":
      return "0 or 1";
    case "count":
      return "a whole number >= 0";
    case "time":
      return "a board time in ms";
    case "probability":
      return "a number from 0 to 1";
    case "file":
      return "a Storage file name (1-28 characters)";
    case "flag":
      return `one of ${ERROR_FLAGS.join(", ")}`;
  }
}
