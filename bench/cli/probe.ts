/**
 * `guillotine bench probe`: builds the probe firmware, and with --port uploads it to the probe
 * Espruino and shows what it sees (clock offset, path and coil states), to check the wiring before a run.
 */
import { writeFileSync } from "node:fs";
import { CommandError, parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK, EXIT_UNREACHABLE } from "../../kit/command/exit-codes.ts";
import { openSerialStream } from "../../kit/transport/serial.ts";
import { PROBE } from "../../hardware/probe-pins.ts";
import { buildProbe } from "../probe/build-probe.ts";
import { ProbeClient } from "../probe/probe-client.ts";

export const summary = "build the probe firmware; with --port, upload it and show what it sees";

export const help = `usage: guillotine bench probe [--out FILE] [--port PORT]

Builds hardware/probe-firmware/probe.ts with the firmware pipeline and checker (hardware/probe.md).
  --out FILE    write the bundle there (default dist/probe.js)
  --port PORT   the probe Espruino's USB port: upload the bundle, correlate clocks (20 pings),
                print the clock offset, which paths conduct and which coils are driven now
exit codes: 0 done, 2 usage, 4 the probe did not answer`;

const OPTIONS = { out: { type: "string", default: "dist/probe.js" }, port: { type: "string" } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, 0);
  const code = await buildProbe();
  writeFileSync(values.out, code);
  console.log(`probe firmware: ${values.out}, ${code.length} bytes`);
  if (values.port === undefined) return EXIT_OK;
  let port;
  try {
    port = await openSerialStream(values.port, 115200);
  } catch (error) {
    throw new CommandError(EXIT_UNREACHABLE, (error as Error).message);
  }
  const started = performance.now();
  const client = new ProbeClient({ write: (data) => port.write(Buffer.from(data, "latin1")), onData: (listener) => port.on("data", (data: Buffer) => listener(data.toString("latin1"))) }, () => performance.now() - started);
  try {
    await client.upload(code);
    const offset = await client.correlate();
    console.log(`clock offset ${offset.offsetMs.toFixed(3)} ms +- ${offset.uncertaintyMs.toFixed(3)} ms (${offset.samples} pings)`);
    console.log(`paths conducting now (sense pins ${PROBE.pathSensePins.join(", ")}): ${client.conducting.map((on, path) => `${path}:${on ? "yes" : "no"}`).join(" ")}`);
    console.log(`coils driven now (taps ${PROBE.coilTapPins.join(", ")}): ${client.driven.map((on, relay) => `K${relay + 1}:${on ? "yes" : "no"}`).join(" ")}`);
  } catch (error) {
    throw new CommandError(EXIT_UNREACHABLE, (error as Error).message);
  } finally {
    port.destroy();
  }
  return EXIT_OK;
}
