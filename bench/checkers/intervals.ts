/** When each path conducted, as [start, end) intervals from the timeline's path events. */
import type { Timeline } from "../harness/timeline.ts";

export interface Interval {
  startMs: number;
  endMs: number;
}

export function conductingIntervals(timeline: Timeline, pathCount: number): Interval[][] {
  const intervals: Interval[][] = Array.from({ length: pathCount }, () => []);
  const openSince: (number | undefined)[] = new Array(pathCount).fill(undefined);
  for (const event of timeline.sorted()) {
    if (event.kind !== "path" || event.path >= pathCount) continue;
    if (event.conducting && openSince[event.path] === undefined) openSince[event.path] = event.atMs;
    if (!event.conducting && openSince[event.path] !== undefined) {
      intervals[event.path].push({ startMs: openSince[event.path]!, endMs: event.atMs });
      openSince[event.path] = undefined;
    }
  }
  openSince.forEach((startMs, path) => startMs !== undefined && intervals[path].push({ startMs, endMs: Infinity }));
  return intervals;
}

export function conductsAt(intervals: Interval[], atMs: number): boolean {
  return intervals.some((interval) => interval.startMs <= atMs && atMs < interval.endMs);
}
