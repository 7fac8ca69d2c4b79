/** `guillotine ops bridge`: publishes one controller's state and events to MQTT. */
import { CommandError, parseCommandArgs } from "../../host/cli/command-error.ts";
import { EXIT_OK, EXIT_UNREACHABLE } from "../../host/cli/exit-codes.ts";
import { sleepMs, systemTimers } from "../../host/timers.ts";
import { describeEndpoint, openLink } from "../../host/transport/endpoint.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, endpointFrom, positiveInteger } from "../connect.ts";
import { ControllerMonitor } from "../monitor.ts";
import { MqttPublisher } from "../bridge/bridge.ts";
import { startEmbeddedBroker } from "../bridge/broker.ts";
import type { EmbeddedBroker } from "../bridge/broker.ts";
import { topicsFor } from "../bridge/topics.ts";

export const summary = "publish the controller's state and events to MQTT (embedded broker or --broker)";

export const help = `usage: guillotine ops bridge [--broker URL | --listen-port N] [options]

Follows the controller on its ops link (as \`ops watch\` does) and publishes, under
guillotine/<id>/:
  state    retained JSON of the latest STATUS (QoS 1)
  events   JSON per level change, refusal, session and link event (QoS 1)
  online   retained "1" while the controller answers, "0" when it does not; the broker
           publishes "0" as the bridge's last will if the bridge dies
Without --broker it starts an embedded MQTT broker (aedes) on 127.0.0.1 and prints its URL.
The bridge holds the ops link: other ops commands cannot use the same serial port meanwhile.

options:
  --broker URL        an existing broker, e.g. mqtt://127.0.0.1:1883 (Mosquitto)
  --listen-port N     port of the embedded broker (default 1883; 0 = any free port)
  --interval-ms N     STATUS poll period (default 1000)
  --duration-s N      stop after N seconds (default: until Ctrl-C)
${CONNECTION_HELP}
exit codes: 0 stopped, 2 usage, 4 controller or broker unreachable`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  broker: { type: "string" },
  "listen-port": { type: "string", default: "1883" },
  "interval-ms": { type: "string", default: "1000" },
  "duration-s": { type: "string" },
} as const;

async function bridge(values: ReturnType<typeof parseCommandArgs<typeof OPTIONS>>["values"]): Promise<void> {
  const endpoint = endpointFrom(values);
  const intervalMs = positiveInteger(values["interval-ms"], "--interval-ms");
  const timeoutMs = positiveInteger(values["timeout-ms"], "--timeout-ms");
  const listenPort = Number(values["listen-port"]);
  const log = (line: string): void => console.error(line);
  let publisher: MqttPublisher | undefined;
  const monitor: ControllerMonitor = new ControllerMonitor({
    open: () => openLink(endpoint), timers: systemTimers, pollMs: intervalMs,
    onEvent: (event) => publisher?.handle(event, monitor.hello),
  });
  let broker: EmbeddedBroker | undefined;
  try {
    monitor.start();
    const hello = await monitor.waitForHello(timeoutMs + intervalMs);
    if (hello === undefined) throw new CommandError(EXIT_UNREACHABLE, `no HELLO from ${describeEndpoint(endpoint)} within ${timeoutMs + intervalMs} ms: is this the controller's ops link?`);
    if (values.broker === undefined) broker = await startEmbeddedBroker(listenPort).catch((error: Error) => {
      throw new CommandError(EXIT_UNREACHABLE, `cannot start the embedded broker: ${error.message}`);
    });
    const url = values.broker ?? (broker as EmbeddedBroker).url;
    publisher = await MqttPublisher.connect(url, hello.id, log).catch((error: Error) => {
      throw new CommandError(EXIT_UNREACHABLE, error.message);
    });
    const topics = topicsFor(hello.id);
    if (broker !== undefined) console.log(`embedded MQTT broker at ${url}`);
    console.log(`bridging ${hello.id} on ${describeEndpoint(endpoint)} to ${url}: ${topics.state}, ${topics.events}, ${topics.online}`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
      if (values["duration-s"] !== undefined) void sleepMs(systemTimers, positiveInteger(values["duration-s"], "--duration-s") * 1000).then(resolve);
    });
  } finally {
    await publisher?.close();
    await monitor.stop();
    await broker?.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  await bridge(values);
  return EXIT_OK;
}
