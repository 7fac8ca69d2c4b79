/**
 * A scenario's timeline as lanes against time: heartbeats sent (green valid, red forged),
 * the level the controller announced, each path conducting, each relay coil energised, the
 * inputs, power, boots and injected faults. For failing and timed scenarios in the report.
 */
import { announcements } from "../checkers/announcements.ts";
import { conductingIntervals } from "../checkers/intervals.ts";
import { Timeline, type TimelineEvent } from "../harness/timeline.ts";
import { line, polyline, rect, svgDocument, text } from "./svg.ts";

const WIDTH = 900;
const LEFT = 120;
const RIGHT = 15;
const LANE = 18;
const LEVEL_LANE = 60;

interface Lane {
  label: string;
  bars: [number, number, string][];
}

/** Intervals where `on(event)` held, from events that switch it (`affects`). */
function switchedBars(events: TimelineEvent[], affects: (e: TimelineEvent) => boolean, on: (e: TimelineEvent) => boolean, endMs: number, color: string): [number, number, string][] {
  const bars: [number, number, string][] = [];
  let since: number | undefined;
  for (const event of events) {
    if (!affects(event)) continue;
    if (on(event) && since === undefined) since = event.atMs;
    if (!on(event) && since !== undefined) {
      bars.push([since, event.atMs, color]);
      since = undefined;
    }
  }
  if (since !== undefined) bars.push([since, endMs, color]);
  return bars;
}

function lanes(timeline: Timeline, pathKinds: readonly string[], endMs: number): Lane[] {
  const events = timeline.sorted();
  const result: Lane[] = [{
    label: "heartbeats",
    bars: timeline.of("heartbeat").map((e) => [e.atMs, e.atMs + 0.001, e.valid ? "#2a9d4b" : "#c0392b"]),
  }];
  conductingIntervals(timeline, pathKinds.length).forEach((intervals, path) => {
    result.push({ label: `path ${path} ${pathKinds[path]}`, bars: intervals.map((i) => [i.startMs, Math.min(i.endMs, endMs), "#4a7bd0"]) });
  });
  const relays = new Set(timeline.of("coil").map((e) => e.relay));
  for (const relay of [...relays].sort((a, b) => a - b)) {
    result.push({ label: `coil ${relay}`, bars: switchedBars(events, (e) => e.kind === "coil" && e.relay === relay, (e) => e.kind === "coil" && e.energised, endMs, "#8e6bbf") });
  }
  for (const input of new Set(timeline.of("input").map((e) => e.input))) {
    result.push({ label: input, bars: switchedBars(events, (e) => e.kind === "input" && e.input === input, (e) => e.kind === "input" && e.active, endMs, "#d08a1a") });
  }
  const off = switchedBars(events, (e) => e.kind === "power", (e) => e.kind === "power" && !e.on, endMs, "#333");
  if (off.length > 0) result.push({ label: "power off", bars: off });
  return result;
}

export function timelineSvg(timeline: Timeline, pathKinds: readonly string[], title: string): string {
  const events = timeline.sorted();
  const startMs = events[0]?.atMs ?? 0;
  const endMs = Math.max(startMs + 1, events.at(-1)?.atMs ?? 1);
  const x = (atMs: number): number => LEFT + ((atMs - startMs) / (endMs - startMs)) * (WIDTH - LEFT - RIGHT);
  const rows = lanes(timeline, pathKinds, endMs);
  const height = 30 + LEVEL_LANE + rows.length * LANE + 30;
  const body = [text(10, 15, title)];
  const levelTop = 25;
  body.push(text(LEFT - 6, levelTop + 10, "level 0", "end"), text(LEFT - 6, levelTop + LEVEL_LANE - 2, "level 5", "end"));
  const levelY = (level: number): number => levelTop + (level / 5) * (LEVEL_LANE - 8) + 4;
  const points: [number, number][] = [];
  for (const a of announcements(timeline)) {
    if (points.length > 0) points.push([x(a.atMs), points[points.length - 1][1]]);
    points.push([x(a.atMs), levelY(a.level)]);
  }
  if (points.length > 0) points.push([x(endMs), points[points.length - 1][1]]);
  body.push(line(LEFT, levelTop + LEVEL_LANE, WIDTH - RIGHT, levelTop + LEVEL_LANE, "#ddd"), polyline(points, "#c0392b"));
  rows.forEach((row, index) => {
    const y = levelTop + LEVEL_LANE + 6 + index * LANE;
    body.push(text(LEFT - 6, y + 12, row.label, "end"), line(LEFT, y + LANE - 2, WIDTH - RIGHT, y + LANE - 2, "#eee"));
    for (const [from, to, color] of row.bars) body.push(rect(x(from), y + 2, x(to) - x(from), LANE - 6, color, `${row.label}: ${from.toFixed(3)}-${to.toFixed(3)} ms`));
  });
  const bottom = levelTop + LEVEL_LANE + 6 + rows.length * LANE;
  for (const event of events) {
    if (event.kind === "boot") body.push(line(x(event.atMs), levelTop, x(event.atMs), bottom, "#4a7bd0", "2 2"));
    if (event.kind === "fault" || event.kind === "firmware") body.push(line(x(event.atMs), levelTop, x(event.atMs), bottom, "#d35400", "5 2"));
  }
  body.push(text(LEFT, height - 8, `${startMs.toFixed(1)} ms`), text(WIDTH - RIGHT, height - 8, `${endMs.toFixed(1)} ms`, "end"));
  body.push(text(WIDTH / 2, height - 8, "dashed: blue boot, orange fault or firmware problem", "middle", "#666"));
  return svgDocument(WIDTH, height, body, title);
}

/** Rebuilds a Timeline from stored events (results keep plain arrays). */
export function timelineOf(events: TimelineEvent[]): Timeline {
  const timeline = new Timeline();
  for (const event of events) timeline.add(event);
  return timeline;
}
