/**
 * Observations scenarios share: which relays belong to which kind of path, when a trip was
 * seen, the controller's replies. Pure reads of the target and its timeline.
 */
import { parseControllerFrame } from "../../protocol/controller-frames.ts";
import type { LinkName } from "../harness/timeline.ts";
import type { Target } from "../targets/target.ts";
import type { ScenarioContext } from "./scenario.ts";

/** Path indexes of `kind` ("network", "power", ...). */
export function pathsOf(target: Target, kind: string): number[] {
  return target.pathKinds.flatMap((pathKind, path) => (pathKind === kind ? [path] : []));
}

/** Relay indexes (2p, 2p+1) of every path of `kind`. */
export function relaysOf(target: Target, kind: string): number[] {
  return pathsOf(target, kind).flatMap((path) => [2 * path, 2 * path + 1]);
}

/** Whether any path of `kind` conducts now. */
export function conducting(target: Target, kind: string): boolean {
  const paths = target.paths();
  return pathsOf(target, kind).some((path) => paths[path]);
}

/** When the first coil among `relays` lost current at or after `fromMs`. */
export function coilOffAt(target: Target, relays: number[], fromMs: number): number | undefined {
  return target.timeline.first("coil", fromMs, (event) => !event.energised && relays.includes(event.relay))?.atMs;
}

/** When the first path of `kind` stopped conducting at or after `fromMs`. */
export function pathOpenAt(target: Target, kind: string, fromMs: number): number | undefined {
  const paths = pathsOf(target, kind);
  return target.timeline.first("path", fromMs, (event) => !event.conducting && paths.includes(event.path))?.atMs;
}

/** ERR codes received on `link` since `fromMs`. */
export function errors(target: Target, link: LinkName, fromMs: number): string[] {
  return target.timeline.received(link, fromMs).filter((text) => text.startsWith("ERR ")).map((text) => text.slice(4));
}

/** Level announced by the last LEVEL frame since `fromMs`, with its cause. */
export function lastLevelFrame(target: Target, fromMs: number): { level: number; cause: string } | undefined {
  const frames = target.timeline.received("host", fromMs).map(parseControllerFrame).filter((frame) => frame.type === "LEVEL");
  const last = frames.at(-1);
  return last?.type === "LEVEL" ? { level: last.level, cause: last.cause } : undefined;
}

/** Real contacts release some ms after the coil (PNOZ-class relays answer within 15 ms). */
export const CONTACT_RELEASE_ALLOWANCE_MS = 15;

/**
 * Checks a trip of the paths of `kind` that is due at `dueMs`, looking at what happened since
 * `sinceMs` (the last moment the paths were known closed): the coils never drop before `dueMs`;
 * on virtual time they drop within the board's CPU allowance (exactly at `dueMs` on a board
 * that takes no time); the path opens within the contact allowance after that. Records the
 * latencies measured.
 */
export async function checkTripAt(context: ScenarioContext, kind: string, sinceMs: number, dueMs: number, what: string): Promise<void> {
  const { target } = context;
  const virtual = target.capabilities.has("virtual-time");
  const allowanceMs = CONTACT_RELEASE_ALLOWANCE_MS + target.linkAllowanceMs + target.cpuAllowanceMs;
  const limitMs = dueMs + allowanceMs - target.nowMs();
  await target.waitUntil(() => pathOpenAt(target, kind, sinceMs) !== undefined, Math.max(0, limitMs));
  if (target.capabilities.has("coils")) {
    const coilMs = coilOffAt(target, relaysOf(target, kind), sinceMs);
    context.check(coilMs !== undefined, `${what}: ${kind} coils were expected to drop at ${dueMs.toFixed(3)} ms; they never did`);
    const lateMs = coilMs! - dueMs;
    context.check(lateMs >= -1e-6, `${what}: ${kind} coils dropped ${(-lateMs).toFixed(3)} ms BEFORE the deadline (${dueMs.toFixed(3)} ms): a false trip`);
    if (virtual) context.check(lateMs <= target.cpuAllowanceMs + 1e-6, `${what}: ${kind} coils were expected to drop by ${(dueMs + target.cpuAllowanceMs).toFixed(3)} ms (the deadline ${dueMs.toFixed(3)} ms and the board's CPU allowance of ${target.cpuAllowanceMs} ms), dropped at ${coilMs!.toFixed(3)} ms`);
    context.measure(`${what}: ${kind} coil off after due`, lateMs);
  }
  const openMs = pathOpenAt(target, kind, sinceMs);
  context.check(openMs !== undefined, `${what}: the ${kind} path was expected to open after ${dueMs.toFixed(3)} ms; it still conducts`);
  const lateMs = openMs! - dueMs;
  context.check(lateMs >= -1e-6, `${what}: the ${kind} path opened ${(-lateMs).toFixed(3)} ms before the deadline: a false trip`);
  context.check(lateMs <= allowanceMs, `${what}: the ${kind} path opened ${lateMs.toFixed(3)} ms after the deadline; allowed ${allowanceMs} ms`);
  context.measure(`${what}: ${kind} path open after due`, lateMs);
}
