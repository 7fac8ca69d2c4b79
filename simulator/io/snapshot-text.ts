/**
 * A board snapshot as a few lines a person can read at a glance: power, paths, relays,
 * inputs, watchdog, trouble. Pin levels are left to `--json`, which prints everything.
 */
import type { BoardSnapshot } from "../simulated-board.ts";

export function snapshotText(snapshot: BoardSnapshot): string {
  const lines = [
    `board time ${Math.round(snapshot.atMs)} ms, power ${snapshot.powered ? "on" : "off"}${snapshot.hung ? " (firmware hung)" : ""}, boot ${snapshot.bootCount}, console on ${snapshot.console.device ?? "nothing"}`,
    `paths:    ${snapshot.paths.map((path) => `${path.name} ${path.conducting ? "CONNECTED" : "open"}`).join(", ")}`,
    ...snapshot.relays.map((relay, index) => `${index === 0 ? "relays:  " : "         "} ${relayText(snapshot, relay)}`),
    `inputs:   ${Object.entries(snapshot.inputs)
      .map(([name, input]) => `${name} ${input.active ? "ACTIVE" : "inactive"}`)
      .join(", ")}`,
    `watchdog: ${snapshot.watchdog.enabled ? `on, ${snapshot.watchdog.timeoutMs} ms${snapshot.watchdog.auto ? " (kicked by the idle loop)" : ""}, last kick ${snapshot.watchdog.lastKickMs === undefined ? "never" : `at ${Math.round(snapshot.watchdog.lastKickMs)} ms`}` : "off"}`,
    `memory:   ${snapshot.memory.free} of ${snapshot.memory.total} blocks free`,
    `flash:    ${flashText(snapshot.flash)}`,
  ];
  const trouble = [
    snapshot.uncaughtErrors > 0 ? `${snapshot.uncaughtErrors} uncaught errors` : "",
    snapshot.errorFlags.length > 0 ? `error flags ${snapshot.errorFlags.join(",")}` : "",
    snapshot.unimplementedCalls.length > 0 ? `unimplemented APIs called: ${snapshot.unimplementedCalls.join(", ")}` : "",
  ].filter((text) => text !== "");
  lines.push(`trouble:  ${trouble.length > 0 ? trouble.join("; ") : "none"}`);
  return lines.join("\n");
}

function relayText(snapshot: BoardSnapshot, relay: BoardSnapshot["relays"][number]): string {
  const path = snapshot.paths[relay.path]?.name ?? `path ${relay.path}`;
  const faults = [relay.welded ? "WELDED" : "", relay.coilOpen ? "COIL OPEN" : "", relay.feedbackStuck !== undefined ? `FEEDBACK STUCK AT ${relay.feedbackStuck}` : ""].filter((text) => text !== "");
  return (
    `${relay.index} ${path}/${relay.index % 2}: coil ${relay.coilEnergised ? "energised" : "off"} (${relay.coilPin}), ` +
    `main ${relay.mainClosed ? "closed" : "open"}, mirror ${relay.mirrorClosed ? "closed" : "open"}, feedback ${relay.feedbackLevel} (${relay.feedbackPin})` +
    (faults.length > 0 ? ` [${faults.join(", ")}]` : "")
  );
}

function flashText(flash: BoardSnapshot["flash"]): string {
  const program = flash.hasBootCode ? "boot code" : flash.hasSavedCode ? "saved code" : "no program";
  const files = flash.files.length === 0 ? "no files" : `files ${flash.files.join(", ")}`;
  return `${program}; ${files}; ${flash.freeBytes} bytes free; ${flash.writes} writes (${flash.bytesWritten} bytes)`;
}
