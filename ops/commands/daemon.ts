/**
 * `guillotine ops daemon`: holds the ops link(s) and serves them to ops commands (Unix
 * socket), MQTT and the web view at once. `guillotine ops bridge` is the same daemon with
 * MQTT on by default.
 */
import { readFileSync } from "node:fs";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { loadProfile } from "../../hardware/profile.ts";
import { systemTimers } from "../../kit/timers.ts";
import { describeEndpoint, openLink } from "../../kit/transport/endpoint.ts";
import type { MqttSettings } from "../bridge/bridge.ts";
import { startEmbeddedBroker } from "../bridge/broker.ts";
import type { EmbeddedBroker } from "../bridge/broker.ts";
import { checkTopicPrefix, DISCOVERY_PREFIX_DEFAULT, TOPIC_PREFIX_DEFAULT } from "../bridge/topics.ts";
import { endpointFrom, positiveInteger } from "../connect.ts";
import { OpsDaemon } from "../daemon/daemon.ts";
import type { DaemonLink } from "../daemon/daemon.ts";
import { startWebView } from "../web/server.ts";
import type { WebView } from "../web/server.ts";

export const summary = "hold the ops link and serve it to ops commands (socket), MQTT and a web view";

export const DAEMON_OPTIONS_HELP = `where it listens:
  --port PORT         a controller's ops link (serial device or tcp://HOST:PORT); repeat for
                      several controllers (default $GUILLOTINE_OPS_PORT)
  --socket PATH       serve ops commands for that controller on this Unix socket; one per
                      --port, in the same order (default $GUILLOTINE_OPS_SOCKET for one port)
  --socket-mode MODE  0660 (owner and group, default) or 0600 (owner only)
  --web-port N        serve the read-only web view on http://127.0.0.1:N/ (0 = any free port)
MQTT:
  --broker URL        publish to this broker: mqtt://HOST:PORT, or mqtts:// for TLS
  --listen-port N     start the embedded broker (aedes) on 127.0.0.1:N and publish to it
  --mqtt-prefix P     topic prefix (default ${TOPIC_PREFIX_DEFAULT})
  --mqtt-username U   broker user name
  --mqtt-password-file FILE  the broker password, first line of FILE
  --mqtt-ca FILE      PEM of the CA that signed the broker's certificate (mqtts://)
  --discovery-prefix P  Home Assistant discovery prefix (default ${DISCOVERY_PREFIX_DEFAULT})
  --no-discovery      publish no Home Assistant discovery
  --refresh-s N       republish the state every N s even when unchanged (default 60)
the controllers:
  --board ID          board profile naming the paths (default PICO; hardware/profiles/)
  --interval-ms N     STATUS poll period (default 1000)
  --answer-timeout-ms N  how long one request may hold the link (default 1000)
  --timeout-ms N      how long to wait for each controller's first HELLO (default 3000)
  --baud N            serial baud rate (default 115200)
  --duration-s N      stop after N seconds (default: until Ctrl-C or SIGTERM)
  --json              once started, print one JSON object of where it serves, instead of lines`;

export const help = `usage: guillotine ops daemon --port PORT [--socket PATH] [--web-port N] [--broker URL] [options]

Holds each controller's ops link and shares it: ops commands given --socket PATH (or
$GUILLOTINE_OPS_SOCKET) go through it while it runs, one request at a time, each answer to
the command that asked; the web view and MQTT show every controller it holds. Without a
daemon the commands open the port themselves.

${DAEMON_OPTIONS_HELP}
exit codes: 0 stopped, 2 usage (also a --socket path that is not a free or stale socket),
            3 unreadable password or CA file, 4 controller or broker unreachable`;

export const DAEMON_OPTIONS = {
  port: { type: "string", multiple: true },
  socket: { type: "string", multiple: true },
  "socket-mode": { type: "string", default: "0660" },
  "web-port": { type: "string" },
  broker: { type: "string" },
  "listen-port": { type: "string" },
  "mqtt-prefix": { type: "string", default: TOPIC_PREFIX_DEFAULT },
  "mqtt-username": { type: "string" },
  "mqtt-password-file": { type: "string" },
  "mqtt-ca": { type: "string" },
  "discovery-prefix": { type: "string", default: DISCOVERY_PREFIX_DEFAULT },
  "no-discovery": { type: "boolean", default: false },
  "refresh-s": { type: "string", default: "60" },
  board: { type: "string", default: "PICO" },
  "interval-ms": { type: "string", default: "1000" },
  "answer-timeout-ms": { type: "string", default: "1000" },
  "timeout-ms": { type: "string", default: "3000" },
  baud: { type: "string", default: "115200" },
  "duration-s": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof DAEMON_OPTIONS>>["values"];

function portNumber(text: string, option: string): number {
  const value = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || value > 65535) throw new CommandError(EXIT_USAGE, `${option} must be a TCP port 0-65535, got "${text}"`);
  return value;
}

function readSecretFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CommandError(EXIT_CONFIG, `${option} ${path}: ${(error as Error).message}`);
  }
}

function links(values: Values): DaemonLink[] {
  const ports = values.port ?? (process.env.GUILLOTINE_OPS_PORT ? [process.env.GUILLOTINE_OPS_PORT] : []);
  if (ports.length === 0) throw new CommandError(EXIT_USAGE, "which controller? give --port PORT (repeat it for several) or set GUILLOTINE_OPS_PORT");
  const sockets = values.socket ?? (ports.length === 1 && process.env.GUILLOTINE_OPS_SOCKET ? [process.env.GUILLOTINE_OPS_SOCKET] : []);
  if (sockets.length > ports.length) throw new CommandError(EXIT_USAGE, `${sockets.length} --socket for ${ports.length} --port: give one socket per port, in the same order`);
  return ports.map((port, index) => {
    const endpoint = endpointFrom({ port, baud: values.baud, "timeout-ms": values["timeout-ms"] });
    return { where: describeEndpoint(endpoint), open: () => openLink(endpoint), socketPath: sockets[index] };
  });
}

/** The MQTT settings, or undefined when MQTT is off (no --broker, no --listen-port, not the bridge). */
function mqttSettings(values: Values, mqttByDefault: boolean, model: string): Omit<MqttSettings, "url"> | undefined {
  if (values.broker === undefined && values["listen-port"] === undefined && !mqttByDefault) return undefined;
  for (const option of ["mqtt-prefix", "discovery-prefix"] as const) {
    const problem = checkTopicPrefix(values[option], `--${option}`);
    if (problem !== undefined) throw new CommandError(EXIT_USAGE, problem);
  }
  const passwordFile = values["mqtt-password-file"];
  return {
    username: values["mqtt-username"],
    password: passwordFile === undefined ? undefined : readSecretFile(passwordFile, "--mqtt-password-file").toString("utf8").split(/\r?\n/)[0],
    ca: values["mqtt-ca"] === undefined ? undefined : readSecretFile(values["mqtt-ca"], "--mqtt-ca"),
    prefix: values["mqtt-prefix"],
    discoveryPrefix: values["no-discovery"] ? undefined : values["discovery-prefix"],
    refreshMs: positiveInteger(values["refresh-s"], "--refresh-s") * 1000,
    model,
  };
}

interface StopSignal {
  /** Whether a stop came. */
  requested: boolean;
  /** Resolves on SIGINT, SIGTERM or after the duration. */
  stopped: Promise<void>;
  /** Gives the signals back and cancels the duration timer (an early failure must not wait for it). */
  release(): void;
}

function stopSignal(durationS: number | undefined): StopSignal {
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const signal: StopSignal = {
    requested: false,
    stopped,
    release: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      cancelDuration?.();
    },
  };
  const stop = (): void => {
    signal.requested = true;
    signal.release();
    resolveStopped();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const cancelDuration = durationS === undefined ? undefined : systemTimers.after(durationS * 1000, stop);
  return signal;
}

/** Starts the embedded broker unless --broker, and connects every controller known so far. */
async function startMqtt(daemon: OpsDaemon, values: Values, settings: Omit<MqttSettings, "url">, listenPort: number, say: (line: string) => void): Promise<{ url: string; broker: EmbeddedBroker | undefined }> {
  const broker = values.broker !== undefined ? undefined : await startEmbeddedBroker(listenPort).catch((error: Error) => {
    throw new CommandError(EXIT_UNREACHABLE, `cannot start the embedded broker: ${error.message}`);
  });
  const url = values.broker ?? (broker as EmbeddedBroker).url;
  if (broker !== undefined) say(`embedded MQTT broker at ${url}`);
  daemon.enableMqtt({ url, ...settings });
  try {
    const publishers = await daemon.connectMqtt();
    for (const publisher of publishers) say(`bridging to ${url}: ${Object.values(publisher.topics).join(", ")}`);
  } catch (error) {
    await broker?.close();
    throw new CommandError(EXIT_UNREACHABLE, (error as Error).message);
  }
  return { url, broker };
}

/** Runs the daemon until stopped. `bridge` turns MQTT on without --broker and wants a HELLO first. */
export async function runDaemon(argv: string[], bridge: boolean): Promise<number> {
  const { values } = parseCommandArgs(argv, DAEMON_OPTIONS, 0);
  let profile;
  try {
    profile = loadProfile(values.board);
  } catch (error) {
    throw new CommandError(EXIT_USAGE, `--board: ${(error as Error).message}`);
  }
  const socketMode = parseSocketMode(values["socket-mode"]);
  if (typeof socketMode !== "number") throw new CommandError(EXIT_USAGE, socketMode.error);
  const intervalMs = positiveInteger(values["interval-ms"], "--interval-ms");
  const helloTimeoutMs = positiveInteger(values["timeout-ms"], "--timeout-ms") + intervalMs;
  const durationS = values["duration-s"] === undefined ? undefined : positiveInteger(values["duration-s"], "--duration-s");
  const webPort = values["web-port"] === undefined ? undefined : portNumber(values["web-port"], "--web-port");
  const listenPort = portNumber(values["listen-port"] ?? "1883", "--listen-port");
  const mqtt = mqttSettings(values, bridge, profile.name);
  const log = (line: string): void => console.error(line);
  const say = (line: string): void => {
    if (!values.json) console.log(line);
  };
  const daemon = new OpsDaemon({
    links: links(values), socketMode, paths: profile.paths, pollMs: intervalMs,
    answerTimeoutMs: positiveInteger(values["answer-timeout-ms"], "--answer-timeout-ms"),
    timers: systemTimers, log,
  });
  let broker: EmbeddedBroker | undefined;
  let web: WebView | undefined;
  let mqttUrl: string | undefined;
  // Signals are ours from the start: a stop during start-up still closes sockets and ports.
  const stop = stopSignal(durationS);
  try {
    const starting = daemon.start(helloTimeoutMs).catch((error: Error) => {
      throw error instanceof CommandError ? error : new CommandError(EXIT_USAGE, error.message);
    });
    starting.catch(() => undefined); // when a stop wins the race, a late failure is moot
    await Promise.race([stop.stopped, starting]);
    if (stop.requested) return EXIT_OK;
    const silent = daemon.controllers.filter((controller) => controller.view.id === undefined).map((controller) => controller.view.port);
    if (bridge && silent.length === daemon.controllers.length) {
      throw new CommandError(EXIT_UNREACHABLE, `no HELLO from ${silent.join(", ")} within ${helloTimeoutMs} ms: is this the controller's ops link?`);
    }
    for (const port of silent) log(`no HELLO from ${port} yet; the daemon keeps trying`);
    if (mqtt !== undefined) ({ url: mqttUrl, broker } = await startMqtt(daemon, values, mqtt, listenPort, say));
    for (const controller of daemon.controllers) {
      if (controller.socketPath !== undefined) say(`serving ops commands for ${controller.view.id ?? controller.view.port} on ${controller.socketPath}`);
    }
    if (webPort !== undefined) {
      web = await startWebView(webPort, { views: () => daemon.views(), onChange: (listener) => daemon.onChange(listener) }).catch((error: Error) => {
        throw new CommandError(EXIT_UNREACHABLE, error.message);
      });
      say(`web view at ${web.url}`);
    }
    if (values.json) {
      console.log(JSON.stringify({
        controllers: daemon.controllers.map((controller) => ({ port: controller.view.port, id: controller.view.id ?? null, socket: controller.socketPath ?? null })),
        web: web?.url ?? null, mqtt: mqttUrl ?? null, embeddedBroker: broker !== undefined, prefix: mqtt?.prefix ?? null,
      }));
    }
    await stop.stopped;
  } finally {
    stop.release();
    await web?.close();
    await daemon.stop();
    await broker?.close();
  }
  return EXIT_OK;
}

export function run(argv: string[]): Promise<number> {
  return runDaemon(argv, false);
}

/** Owner only, or owner and group (the operators' group); never others. */
const SOCKET_MODES = [0o600, 0o660];

/** The mode an --socket-mode text names: 0600 or 0660. */
export function parseSocketMode(text: string): number | { error: string } {
  const mode = /^0?[0-7]{3}$/.test(text) ? parseInt(text, 8) : NaN;
  if (!SOCKET_MODES.includes(mode)) return { error: `--socket-mode must be 0600 (owner only) or 0660 (owner and group), got "${text}"` };
  return mode;
}
