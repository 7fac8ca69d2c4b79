/**
 * What happened during one scenario, in target time: every line the bench sent and received,
 * the heartbeats it sent, and what the world did (coils, contacts, paths, inputs, power,
 * boots, faults, firmware errors). Targets append; checkers and reports only read. On the
 * simulated board the times are exact virtual milliseconds; on a real board they are the
 * bench's monotonic clock, with probe edges mapped onto it.
 */
export type LinkName = "host" | "ops";
export const LINK_NAMES: readonly LinkName[] = ["host", "ops"];

export type TimelineEvent =
  /**
   * Bytes the bench put on a link; `arrivesAtMs` is when the last byte reaches the controller
   * and `byteMs` the time each byte takes on the line (0: all at once), where known.
   */
  | { atMs: number; kind: "tx"; link: LinkName; text: string; arrivesAtMs?: number; byteMs?: number }
  /**
   * One line the controller sent, without its LF; `atMs` is when the LF arrived, `sentAtMs`
   * when the firmware wrote it (known on the simulated board: replies can queue for seconds).
   */
  | { atMs: number; kind: "rx"; link: LinkName; text: string; sentAtMs?: number }
  /** A heartbeat the bench sent, and whether it was built to be accepted. */
  | { atMs: number; kind: "heartbeat"; seq: number; valid: boolean; arrivesAtMs?: number }
  | { atMs: number; kind: "coil"; relay: number; energised: boolean }
  | { atMs: number; kind: "path"; path: number; conducting: boolean }
  | { atMs: number; kind: "input"; input: string; active: boolean }
  | { atMs: number; kind: "power"; on: boolean }
  | { atMs: number; kind: "boot"; cause: string }
  | { atMs: number; kind: "fault"; description: string }
  /** Firmware trouble: an uncaught exception, an unimplemented API, an interpreter error flag. */
  | { atMs: number; kind: "firmware"; problem: "uncaught" | "unimplemented" | "error-flag"; text: string }
  | { atMs: number; kind: "note"; text: string };

export type EventKind = TimelineEvent["kind"];
export type EventOf<K extends EventKind> = Extract<TimelineEvent, { kind: K }>;

export class Timeline {
  readonly events: TimelineEvent[] = [];
  /** Events beyond this are counted, not kept: a flood scenario must not eat the heap. */
  static readonly EVENTS_MAX = 200_000;
  dropped = 0;

  add(event: TimelineEvent): void {
    if (this.events.length >= Timeline.EVENTS_MAX) {
      this.dropped++;
      return;
    }
    this.events.push(event);
  }

  /** Forgets everything recorded (long runs judge in windows and keep memory flat). */
  clear(): void {
    this.events.length = 0;
    this.dropped = 0;
  }

  of<K extends EventKind>(kind: K): EventOf<K>[] {
    return this.events.filter((event): event is EventOf<K> => event.kind === kind);
  }

  /** The first event of `kind` at or after `fromMs` that satisfies `match`. */
  first<K extends EventKind>(kind: K, fromMs: number, match: (event: EventOf<K>) => boolean = () => true): EventOf<K> | undefined {
    for (const event of this.events) if (event.kind === kind && event.atMs >= fromMs && match(event as EventOf<K>)) return event as EventOf<K>;
    return undefined;
  }

  /** Lines received on `link` at or after `fromMs`. */
  received(link: LinkName, fromMs = -Infinity): string[] {
    return this.of("rx").filter((event) => event.link === link && event.atMs >= fromMs).map((event) => event.text);
  }

  /** Events sorted by time (targets append in order; a probe's late edges may not be). */
  sorted(): TimelineEvent[] {
    return [...this.events].sort((a, b) => a.atMs - b.atMs);
  }
}
