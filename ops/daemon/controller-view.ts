/**
 * What the daemon knows about one controller, built from its monitor's events: the picture
 * the web view draws and the MQTT state carries. Paths are named from the board profile, so
 * nobody has to remember that the second letter of STATUS is the power feed.
 */
import type { Inputs } from "../../protocol/controller-frames.ts";
import type { PathProfile } from "../../hardware/profile-types.ts";
import { LEVEL_NAMES } from "../../protocol/constants.ts";
import type { LogEntry } from "../log-chain.ts";
import type { MonitorEvent } from "../monitor.ts";

export type PathState = "closed" | "open" | "testing" | "fault";
const PATH_STATES: Record<string, PathState> = { C: "closed", O: "open", T: "testing", F: "fault" };

/** Event-log entries the view keeps (the newest). */
export const VIEW_LOG_ENTRIES = 8;

export interface PathView {
  name: string;
  kind: string;
  state: PathState;
}

export interface ControllerView {
  /** The ops link, as given to --port. */
  port: string;
  link: "connecting" | "up" | "down";
  linkReason: string | undefined;
  /** The controller answers: HELLO seen and not silent since. */
  answering: boolean;
  id: string | undefined;
  firmware: string | undefined;
  session: string | undefined;
  level: number | undefined;
  levelName: string | undefined;
  cause: string | undefined;
  /** The controller's boot counter, and the boot its cause was latched in (a reboot keeps it). */
  boot: number | undefined;
  causeBoot: number | undefined;
  paths: PathView[];
  inputs: Inputs | undefined;
  heartbeatAgeMs: number | null;
  seq: number | undefined;
  uptimeS: number | undefined;
  logNext: number | undefined;
  /** Wall-clock time (ms since the epoch) of the last STATUS. */
  statusAtMs: number | undefined;
  log: Array<LogEntry & { levelName: string }>;
}

export function emptyView(port: string): ControllerView {
  return {
    port, link: "connecting", linkReason: undefined, answering: false, id: undefined, firmware: undefined, session: undefined,
    level: undefined, levelName: undefined, cause: undefined, boot: undefined, causeBoot: undefined, paths: [], inputs: undefined, heartbeatAgeMs: null,
    seq: undefined, uptimeS: undefined, logNext: undefined, statusAtMs: undefined, log: [],
  };
}

export function namePaths(codes: string, profile: PathProfile[]): PathView[] {
  return [...codes].map((code, index) => ({
    name: profile[index]?.name ?? `path${index + 1}`,
    kind: profile[index]?.kind ?? "unknown",
    state: PATH_STATES[code] ?? "fault",
  }));
}

/** Applies one monitor event; `nowMs` is wall-clock time. */
export function applyEvent(view: ControllerView, event: MonitorEvent, profile: PathProfile[], nowMs: number): void {
  switch (event.type) {
    case "link":
      view.link = event.state.state;
      view.linkReason = event.state.state === "down" ? event.state.reason : undefined;
      if (event.state.state !== "up") view.answering = false;
      return;
    case "hello":
      view.answering = true;
      view.id = event.hello.id;
      view.firmware = event.hello.firmware;
      view.session = event.hello.nonce;
      view.level = event.hello.level;
      view.levelName = LEVEL_NAMES[event.hello.level];
      return;
    case "status": {
      const status = event.status;
      view.answering = true;
      view.level = status.level;
      view.levelName = LEVEL_NAMES[status.level];
      view.cause = status.cause;
      view.boot = status.boot;
      view.causeBoot = status.causeBoot;
      view.paths = namePaths(status.paths, profile);
      view.inputs = status.inputs;
      view.heartbeatAgeMs = status.ageMs;
      view.seq = status.seq;
      view.uptimeS = status.uptimeS;
      view.logNext = status.logNext;
      view.statusAtMs = nowMs;
      return;
    }
    case "level":
      view.level = event.level;
      view.levelName = LEVEL_NAMES[event.level];
      view.cause = event.cause;
      return;
    case "silent":
      view.answering = false;
      return;
    case "refused":
      return;
  }
}

/** What changes matter for "publish on change": not the clocks (age, uptime), which tick. */
export function viewSummary(view: ControllerView): string {
  return JSON.stringify([view.link, view.answering, view.id, view.session, view.level, view.cause, view.causeBoot, view.paths, view.inputs, view.log.at(-1)?.index]);
}

export function keepLog(view: ControllerView, entries: LogEntry[]): void {
  view.log = entries.slice(-VIEW_LOG_ENTRIES).map((entry) => ({ ...entry, levelName: LEVEL_NAMES[entry.level] }));
}
