/** `guillotine ops watch`: follows the controller live until interrupted. */
import { parseCommandArgs } from "../../kit/command/command-error.ts";
import { EXIT_OK } from "../../kit/command/exit-codes.ts";
import { describeLevel } from "../../protocol/levels.ts";
import { sleepMs, systemTimers } from "../../kit/timers.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, opsTarget, positiveInteger } from "../connect.ts";
import { ControllerMonitor } from "../monitor.ts";
import type { MonitorEvent } from "../monitor.ts";
import { statusJson, statusSummary } from "../status-text.ts";

export const summary = "follow the controller live: level changes, status, link health";

export const help = `usage: guillotine ops watch [--interval-ms N] [--duration-s N] [options]

Polls STATUS every --interval-ms and prints a line whenever level, cause, paths or inputs
change, every LEVEL frame, every refusal, and the link's health (it reconnects by itself
when the port vanishes). Runs until Ctrl-C, or for --duration-s. --json prints one JSON
object per event.

options:
  --interval-ms N   STATUS poll period (default 1000)
  --duration-s N    stop after N seconds
${CONNECTION_HELP}
exit codes: 0 stopped, 2 usage`;

/** The printable form of an event, or undefined when it repeats what was shown. */
function describe(event: MonitorEvent, last: { summary: string }): string | undefined {
  switch (event.type) {
    case "link":
      if (event.state.state === "down") return `link down: ${event.state.reason} (retrying in ${event.state.retryInMs} ms)`;
      return event.state.state === "up" ? "link up" : undefined;
    case "hello":
      return `controller ${event.hello.id}, firmware ${event.hello.firmware}, session ${event.hello.nonce.slice(0, 8)}, level ${describeLevel(event.hello.level)}`;
    case "status": {
      const summary = statusSummary(event.status);
      if (summary === last.summary) return undefined;
      last.summary = summary;
      return summary;
    }
    case "level":
      return `LEVEL ${describeLevel(event.level)}, cause ${event.cause}`;
    case "refused":
      return `controller refused a frame: ERR ${event.code}`;
    case "silent":
      last.summary = "";
      return `controller silent for ${Math.round(event.silentMs)} ms`;
  }
}

export async function run(argv: string[]): Promise<number> {
  const options = { ...CONNECTION_OPTIONS, "interval-ms": { type: "string", default: "1000" }, "duration-s": { type: "string" } } as const;
  const { values } = parseCommandArgs(argv, options, 0);
  const intervalMs = positiveInteger(values["interval-ms"], "--interval-ms");
  const durationS = values["duration-s"] === undefined ? undefined : positiveInteger(values["duration-s"], "--duration-s");
  const target = await opsTarget(values);
  const last = { summary: "" };
  const monitor: ControllerMonitor = new ControllerMonitor({
    open: target.open,
    timers: systemTimers,
    pollMs: intervalMs,
    onEvent: (event) => {
      const at = new Date().toISOString();
      if (values.json) {
        const body = event.type === "status" && monitor.hello ? { type: "status", ...statusJson(monitor.hello, event.status) } : event;
        console.log(JSON.stringify({ at, ...body }));
        return;
      }
      const text = describe(event, last);
      if (text !== undefined) console.log(`${at} ${text}`);
    },
  });
  monitor.start();
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    if (durationS !== undefined) void sleepMs(systemTimers, durationS * 1000).then(resolve);
  });
  await monitor.stop();
  return EXIT_OK;
}
