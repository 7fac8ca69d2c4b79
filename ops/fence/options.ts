/**
 * The parameters of fence_guillotine and the two ways a caller passes them, as every agent of
 * the fence-agents project takes them: Pacemaker writes `name=value` lines on standard input
 * (no arguments), a person types getopt-style flags (`-o off`, `--serial-port=/dev/ttyUSB1`).
 * One table drives both parsers, the validation and the metadata XML.
 */
import { listProfiles } from "../../hardware/profile.ts";
import { KeyFileError, readKeyFile } from "../../kit/key-file.ts";
import { parseEndpoint } from "../../kit/transport/endpoint.ts";
import { LEVEL_NAMES, LEVEL_OFFLINE, LEVEL_SEVERED } from "../../protocol/constants.ts";

export const ACTIONS = ["on", "off", "reboot", "status", "monitor", "list", "metadata", "validate-all"] as const;
export type Action = (typeof ACTIONS)[number];

/** The levels fencing may raise to: the ones one operator may set and that cut something off. */
export const FENCE_LEVELS = [LEVEL_SEVERED, LEVEL_OFFLINE];

export interface Parameter {
  /** The name on standard input and in the metadata (`serial_port`). */
  name: string;
  /** The command-line flag (`serial-port` for `--serial-port`). */
  longopt: string;
  short?: string;
  /** "boolean" parameters take no value on the command line. */
  type: "string" | "integer" | "second" | "boolean" | "select";
  choices?: string[];
  default?: string;
  required: boolean;
  shortdesc: string;
}

export const PARAMETERS: Parameter[] = [
  { name: "action", longopt: "action", short: "o", type: "string", default: "reboot", required: true, shortdesc: "Fencing action" },
  {
    name: "plug", longopt: "plug", short: "n", type: "string", required: false,
    shortdesc: "Controller id the cluster expects on this link (compared with the controller's HELLO; use pcmk_host_map to map node names to it)",
  },
  { name: "serial_port", longopt: "serial-port", type: "string", required: true, shortdesc: "The controller's ops link: a serial device (/dev/ttyUSB1) or tcp://HOST:PORT" },
  { name: "baud", longopt: "baud", type: "integer", default: "115200", required: false, shortdesc: "Baud rate of the ops link" },
  { name: "operator", longopt: "operator", type: "integer", required: true, shortdesc: "Index of the operator whose key signs the raise (0-9)" },
  { name: "key_file", longopt: "key-file", type: "string", required: true, shortdesc: "That operator's key file (mode 0600, readable by the fencer)" },
  {
    name: "level", longopt: "level", type: "select", choices: FENCE_LEVELS.map((level) => LEVEL_NAMES[level]), default: LEVEL_NAMES[LEVEL_OFFLINE], required: false,
    shortdesc: "Level off raises to: offline opens network and power paths, severed the network paths only",
  },
  { name: "board", longopt: "board", type: "select", choices: listProfiles(), default: "PICO", required: false, shortdesc: "Board profile, which tells network paths from power paths" },
  { name: "power_timeout", longopt: "power-timeout", type: "second", default: "20", required: false, shortdesc: "Seconds to wait for the paths to read back open after off" },
  { name: "shell_timeout", longopt: "shell-timeout", type: "second", default: "3", required: false, shortdesc: "Seconds to wait for each answer of the controller" },
  { name: "delay", longopt: "delay", type: "second", default: "0", required: false, shortdesc: "Seconds to wait before fencing is started" },
  { name: "separator", longopt: "separator", short: "C", type: "string", default: ",", required: false, shortdesc: "Separator for the CSV that list prints" },
  { name: "verbose", longopt: "verbose", short: "v", type: "boolean", required: false, shortdesc: "Print each step on standard error" },
  { name: "version", longopt: "version", short: "V", type: "boolean", required: false, shortdesc: "Display version information and exit" },
  { name: "help", longopt: "help", short: "h", type: "boolean", required: false, shortdesc: "Display help and exit" },
];

/** Names that mean a parameter on standard input: Pacemaker still sends `port` for plug. */
const ALIASES: Record<string, string> = { port: "plug" };
/** Sent by Pacemaker to every agent; not ours to use. */
const IGNORED = ["nodename"];

export type Values = Record<string, string>;

/** Thrown for input the agent cannot act on; the message is printed after "Failed: ". */
export class UsageError extends Error {}

function byName(name: string): Parameter | undefined {
  const canonical = ALIASES[name] ?? name;
  return PARAMETERS.find((parameter) => parameter.name === canonical || parameter.longopt === canonical);
}

function booleanValue(text: string, name: string): string {
  const lower = text.toLowerCase();
  if (["1", "yes", "on", "true"].includes(lower)) return "1";
  if (["0", "no", "off", "false"].includes(lower)) return "0";
  throw new UsageError(`${name}="${text}" is not a boolean (1/yes/on/true or 0/no/off/false)`);
}

/** `name=value` lines (blank lines and `#` comments skipped); unknown names are reported in `warnings`. */
export function parseStdin(text: string, warnings: string[]): Values {
  const values: Values = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const equals = line.indexOf("=");
    const name = (equals < 0 ? line : line.slice(0, equals)).trim().replaceAll("-", "_");
    const value = equals < 0 ? "" : line.slice(equals + 1).replace(/^"(.*)"$/, "$1");
    if (IGNORED.includes(name)) continue;
    const parameter = byName(name) ?? byName(name.replaceAll("_", "-"));
    if (parameter === undefined) {
      warnings.push(`ignoring unknown parameter "${name}"`);
      continue;
    }
    values[parameter.name] = parameter.type === "boolean" ? booleanValue(value, parameter.name) : value;
  }
  return values;
}

/** getopt-style flags: `-o off`, `-ooff`, `--action off`, `--action=off`, `-v`. */
export function parseCommandLine(argv: string[]): Values {
  const values: Values = {};
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    let parameter: Parameter | undefined;
    let inline: string | undefined;
    if (token.startsWith("--")) {
      const equals = token.indexOf("=");
      const flag = equals < 0 ? token.slice(2) : token.slice(2, equals);
      parameter = PARAMETERS.find((candidate) => candidate.longopt === flag);
      if (equals >= 0) inline = token.slice(equals + 1);
    } else if (/^-[A-Za-z]/.test(token)) {
      parameter = PARAMETERS.find((candidate) => candidate.short === token[1]);
      if (token.length > 2) inline = token.slice(2);
    } else {
      throw new UsageError(`unexpected argument "${token}": options are flags (--help lists them)`);
    }
    if (parameter === undefined) throw new UsageError(`unknown option "${token}" (--help lists them)`);
    if (parameter.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`option ${token} takes no value`);
      values[parameter.name] = "1";
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new UsageError(`option ${token} needs a value`);
    values[parameter.name] = value;
  }
  return values;
}

/** The parsed values with defaults filled in; the action lower-cased (`meta-data` accepted, as OCF spells it). */
export function withDefaults(values: Values): Values {
  const filled: Values = {};
  for (const parameter of PARAMETERS) {
    const value = values[parameter.name] ?? parameter.default;
    if (value !== undefined) filled[parameter.name] = value;
  }
  filled.action = filled.action.toLowerCase() === "meta-data" ? "metadata" : filled.action.toLowerCase();
  return filled;
}

export function actionOf(values: Values): Action {
  const action = ACTIONS.find((candidate) => candidate === values.action);
  if (action === undefined) throw new UsageError(`unrecognised action "${values.action}"; one of: ${ACTIONS.join(", ")}`);
  return action;
}

/** What the actions that reach the controller need, checked and converted. */
export interface FenceSettings {
  port: string;
  baud: number;
  plug: string | undefined;
  operator: number;
  key: string;
  level: number;
  board: string;
  powerTimeoutMs: number;
  answerTimeoutMs: number;
  delayMs: number;
  separator: string;
  verbose: boolean;
}

function seconds(values: Values, name: string, minimum: number): number {
  const text = values[name];
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || Number(text) < minimum) {
    throw new UsageError(`${name}="${text}" must be a number of seconds, at least ${minimum}`);
  }
  return Math.round(Number(text) * 1000);
}

function required(values: Values, name: string): string {
  const value = values[name];
  if (value === undefined || value === "") throw new UsageError(`parameter ${name} is required`);
  return value;
}

/** Checks every parameter, without touching the controller; throws UsageError naming the first problem. */
export function settingsOf(values: Values): FenceSettings {
  const port = required(values, "serial_port");
  const baud = Number(values.baud);
  if (!/^[0-9]{1,7}$/.test(values.baud) || baud <= 0) throw new UsageError(`baud="${values.baud}" must be a positive integer`);
  const endpoint = parseEndpoint(port, baud);
  if ("error" in endpoint) throw new UsageError(`serial_port: ${endpoint.error}`);
  const operatorText = required(values, "operator");
  if (!/^[0-9]$/.test(operatorText)) throw new UsageError(`operator="${operatorText}" must be an operator index 0-9`);
  let key: string;
  try {
    key = readKeyFile(required(values, "key_file"));
  } catch (error) {
    if (error instanceof KeyFileError) throw new UsageError(error.message);
    throw error;
  }
  const level = LEVEL_NAMES.indexOf(values.level.toLowerCase());
  if (!FENCE_LEVELS.includes(level)) {
    throw new UsageError(`level="${values.level}" must be ${FENCE_LEVELS.map((candidate) => LEVEL_NAMES[candidate]).join(" or ")}`);
  }
  const boards = listProfiles();
  if (!boards.includes(values.board)) throw new UsageError(`board="${values.board}" is not a board profile; one of: ${boards.join(", ")}`);
  const plug = values.plug === undefined || values.plug === "" ? undefined : values.plug;
  return {
    port, baud, plug, operator: Number(operatorText), key, level, board: values.board,
    powerTimeoutMs: seconds(values, "power_timeout", 1), answerTimeoutMs: seconds(values, "shell_timeout", 1),
    delayMs: seconds(values, "delay", 0), separator: values.separator, verbose: values.verbose === "1",
  };
}
