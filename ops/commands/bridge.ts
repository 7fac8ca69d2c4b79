/** `guillotine ops bridge`: the ops daemon with MQTT on (the embedded broker unless --broker). */
import { DAEMON_OPTIONS_HELP, runDaemon } from "./daemon.ts";

export const summary = "publish controllers to MQTT with Home Assistant discovery (the daemon with MQTT on)";

export const help = `usage: guillotine ops bridge [--broker URL | --listen-port N] [options]

The ops daemon (\`guillotine ops daemon --help\`) with MQTT on: without --broker it starts an
embedded MQTT broker (aedes) on 127.0.0.1 (--listen-port, default 1883; 0 = any free port)
and prints its URL. Per controller, under <prefix>/<id>/ (prefix default guillotine):
  state         retained JSON: level, cause, paths by name, inputs, heartbeat age, ...;
                published on every change and again every --refresh-s
  events        JSON per level change, refusal, session and link event
  availability  retained "online" while the controller answers, "offline" when silent
  bridge        retained "online" while the bridge runs; the broker publishes "offline"
                (its last will) when the bridge dies
and Home Assistant discovery under <discovery prefix>/.../config (retained), repeated when
Home Assistant announces itself on <discovery prefix>/status. With --socket, ops commands
work through the bridge while it holds the link.

${DAEMON_OPTIONS_HELP}
exit codes: 0 stopped, 2 usage, 3 unreadable password or CA file, 4 controller or broker unreachable`;

export function run(argv: string[]): Promise<number> {
  return runDaemon(argv, true);
}
