/**
 * Structural checks of a board profile: every field present with the right type. The
 * safety rules (pins used twice, roles, watches) live in profile-validate.ts and may assume
 * the shape is right once these checks have passed.
 */
import type { BoardProfile, InputProfile, LinkProfile, PathProfile, RelayPins } from "./profile-types.ts";

/** Where a problem is and how to fix it; turned into one Error message by `profileError`. */
export function profileError(source: string, field: string, problem: string, fix: string): Error {
  return new Error(`board profile ${source}: ${field}: ${problem}. Fix: ${fix}.`);
}

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads fields of one JSON object, failing with the full field path of the first bad one. */
class Reader {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly value: JsonObject,
  ) {}

  static of(source: string, path: string, value: unknown): Reader {
    if (!isRecord(value)) throw profileError(source, path || "(top level)", "is not an object", "write a JSON object here");
    return new Reader(source, path, value);
  }

  field(name: string): string {
    return this.path === "" ? name : `${this.path}.${name}`;
  }

  fail(name: string, problem: string, fix: string): never {
    throw profileError(this.source, this.field(name), problem, fix);
  }

  string(name: string): string {
    const value = this.value[name];
    if (typeof value !== "string" || value === "") this.fail(name, "is missing or not a non-empty string", `set "${name}" to a string`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.value[name] === undefined ? undefined : this.string(name);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.value[name];
    if (typeof value !== "string" || !allowed.includes(value as T)) {
      this.fail(name, `is ${JSON.stringify(value)}, not one of ${allowed.join(", ")}`, `set "${name}" to one of ${allowed.join(", ")}`);
    }
    return value as T;
  }

  integer(name: string): number {
    const value = this.value[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
      this.fail(name, `is ${JSON.stringify(value)}, not a positive integer`, `set "${name}" to a positive whole number`);
    }
    return value;
  }

  boolean(name: string): boolean {
    const value = this.value[name];
    if (typeof value !== "boolean") this.fail(name, "is missing or not true/false", `set "${name}" to true or false`);
    return value;
  }

  array(name: string): unknown[] {
    const value = this.value[name];
    if (!Array.isArray(value)) this.fail(name, "is missing or not an array", `set "${name}" to a JSON array`);
    return value;
  }

  child(name: string): Reader {
    return Reader.of(this.source, this.field(name), this.value[name]);
  }
}

const PATH_KINDS = ["network", "power", "decapitation", "immolation"] as const;
const MCU_FAMILIES = ["stm32", "nrf52", "esp32"] as const;

function readRelay(reader: Reader): RelayPins {
  return { coil: reader.string("coil"), feedback: reader.string("feedback") };
}

function readPath(reader: Reader): PathProfile {
  const relays = reader.array("relays");
  if (relays.length !== 2) {
    reader.fail("relays", `has ${relays.length} relays, not 2`, "give every path exactly two relays in series (1oo2)");
  }
  return {
    name: reader.string("name"),
    kind: reader.oneOf("kind", PATH_KINDS),
    relays: [readRelay(Reader.of(reader.source, reader.field("relays[0]"), relays[0])), readRelay(Reader.of(reader.source, reader.field("relays[1]"), relays[1]))],
  };
}

function readInput(reader: Reader): InputProfile {
  return { pin: reader.string("pin"), active: reader.oneOf("active", ["high", "low"]), pull: reader.oneOf("pull", ["up", "down", "none"]) };
}

function readLink(reader: Reader): LinkProfile {
  const link: LinkProfile = { device: reader.string("device"), baud: reader.integer("baud") };
  const tx = reader.optionalString("tx");
  const rx = reader.optionalString("rx");
  if (tx !== undefined) link.tx = tx;
  if (rx !== undefined) link.rx = rx;
  return link;
}

/** Checks the shape of `value` and returns it typed; throws naming the first bad field. */
export function readProfileShape(value: unknown, source: string): BoardProfile {
  const top = Reader.of(source, "", value);
  const pins = top.array("pins");
  pins.forEach((pin, index) => {
    if (typeof pin !== "string" || pin === "") top.fail(`pins[${index}]`, "is not a pin name", "list pin names as strings");
  });
  const inputs = top.child("inputs");
  const links = top.child("links");
  return {
    id: top.string("id"),
    name: top.string("name"),
    espruinoBoard: top.string("espruinoBoard"),
    mcuFamily: top.oneOf("mcuFamily", MCU_FAMILIES),
    variables: top.integer("variables"),
    pins: pins as string[],
    console: top.string("console"),
    paths: top.array("paths").map((path, index) => readPath(Reader.of(source, `paths[${index}]`, path))),
    inputs: {
      estop: readInput(inputs.child("estop")),
      tamper: readInput(inputs.child("tamper")),
      arm: readInput(inputs.child("arm")),
      maintenance: readInput(inputs.child("maintenance")),
    },
    led: top.string("led"),
    links: { host: readLink(links.child("host")), ops: readLink(links.child("ops")) },
    sha256: top.boolean("sha256"),
  };
}
