/**
 * The live story: six steps on the running lab, each checked against what the design promises
 * (docs/protocol.md section 6, docs/design.md "Safety concept"). Outcomes are deterministic; only
 * the measured times vary, and they are judged with a margin for a loaded machine.
 */
import { LEVEL_OFFLINE, LEVEL_PROBATION, LEVEL_SEVERED, LEVEL_STANDARD } from "../protocol/constants.ts";
import type { WatchEvent } from "./board-watch.ts";
import { CONTROLLER_ID, type Lab, ms } from "./lab.ts";
import { MqttWatch } from "./mqtt-watch.ts";
import type { StepResult } from "./summary.ts";
import type { Terminal } from "./terminal.ts";

/** How late after its deadline a trip may be measured before the step fails (event-loop lag under load). */
export const LATE_MARGIN_MS = 400;
/** How early a trip may be measured (time stamps are taken as frames leave the UART, see step 3). */
export const EARLY_ALLOWANCE_MS = 50;
/** How long a latched level is watched, heartbeats flowing, to show that it stays. */
const LATCH_WATCH_MS = 1500;

type LevelEvent = Extract<WatchEvent, { kind: "level" }>;
type AckEvent = Extract<WatchEvent, { kind: "ack" }>;
const isLevel = (level: number) => (event: WatchEvent): event is LevelEvent => event.kind === "level" && event.level === level;
const isAck = (event: WatchEvent): event is AckEvent => event.kind === "ack";
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));

export class Story {
  readonly results: StepResult[] = [];
  private aborted: string | undefined;

  constructor(private readonly lab: Lab, private readonly t: Terminal) {}

  private get watch() {
    return this.lab.watch!;
  }

  /** The controller's level as last seen on its links (a method, so no stale narrowing across awaits). */
  private level(): number | undefined {
    return this.watch.level;
  }

  /** "net0 closed, power0 closed", from the board's contacts. */
  private pathsText(): string {
    return this.watch.paths().map((path) => `${path.name} ${path.conducting ? "closed" : "open"}`).join(", ");
  }

  private conducting(name: string): boolean {
    return this.watch.paths().find((path) => path.name === name)?.conducting ?? false;
  }

  private allOpen(): boolean {
    return this.watch.paths().every((path) => !path.conducting);
  }

  private allClosed(): boolean {
    return this.watch.paths().every((path) => path.conducting);
  }

  /** Heartbeats the controller accepted during the next `windowMs`. */
  private async heartbeatsDuring(windowMs: number): Promise<number> {
    const before = this.watch.acks;
    await sleep(windowMs);
    return this.watch.acks - before;
  }

  /** Runs one step; an exception fails it, and the steps after it are reported as not run. */
  private async step(title: string, expected: string, body: () => Promise<{ observed: string; ok: boolean }>): Promise<void> {
    const started = performance.now();
    if (this.aborted !== undefined) {
      this.results.push({ step: title, expected, observed: `not run (${this.aborted})`, timeMs: 0, ok: false });
      return;
    }
    this.t.heading(`== ${title}`);
    let observed: string;
    let ok: boolean;
    try {
      ({ observed, ok } = await body());
    } catch (error) {
      observed = (error as Error).message;
      ok = false;
      this.aborted = `step "${title}" failed`;
    }
    const timeMs = performance.now() - started;
    this.t.statusChanged(true);
    this.t.event(`${ok ? this.t.ok("ok") : this.t.bad("FAILED")}: ${observed}`);
    this.results.push({ step: title, expected, observed, timeMs, ok });
  }

  async run(): Promise<void> {
    const [standardMs, probationMs, severedMs] = this.lab.deadlineMs;

    await this.step("1 standard, heartbeats flowing", "standard; net0, power0 closed; heartbeats accepted", async () => {
      this.t.say("A freshly provisioned controller boots OFFLINE and stays there: no path closes until a quorum of");
      this.t.say("operators restores it (latching, docs/design.md). So the attester starts, and two of the three");
      this.t.say("operators sign a challenge to bring it to standard.");
      if (this.level() !== LEVEL_OFFLINE) throw new Error(`expected the fresh controller at offline, found ${this.watch.levelName()}`);
      const firstAck = this.watch.next(isAck, 15_000, "the first accepted heartbeat");
      this.lab.startAgent();
      const ack = await firstAck;
      this.t.event(`heartbeat seq ${ack.seq} accepted (ACK at level ${ack.level}): the paths stay open, the level is latched`);
      await this.lab.restore([0, 1]);
      await this.watch.until(() => this.level() === LEVEL_STANDARD && this.allClosed(), 5000, "standard with every path closed");
      this.t.say("The MQTT bridge starts watching the controller for the fleet dashboard.");
      await this.lab.startBridge();
      const beats = await this.heartbeatsDuring(1000);
      const age = this.watch.heartbeatAgeMs() ?? Infinity;
      const ok = this.level() === LEVEL_STANDARD && this.allClosed() && beats >= 3 && age < standardMs;
      return { observed: `${this.watch.levelName()} (${this.watch.cause}); ${this.pathsText()}; ${beats} heartbeats/s`, ok };
    });

    await this.step("2 hypervisor asks for probation", "probation (host); paths stay closed", async () => {
      this.t.say(`The hypervisor sees something odd and asks for probation: a tighter deadline (${ms(probationMs)}),`);
      this.t.say("more telemetry. The agent carries the request in its heartbeats until the controller ACKs it.");
      const result = await this.lab.request("probation", "model opened an unexpected socket");
      const confirmed = /confirmed at probation/.test(result.stdout);
      await this.watch.until(() => this.level() === LEVEL_PROBATION, 3000, "probation");
      const beats = await this.heartbeatsDuring(1000);
      const ok = confirmed && this.level() === LEVEL_PROBATION && this.watch.cause === "host" && this.allClosed() && beats >= 3;
      return { observed: `${this.watch.levelName()} (${this.watch.cause}), request confirmed; ${this.pathsText()}`, ok };
    });

    let severedAfter = NaN;
    let offlineAfter = NaN;
    await this.step("3 attester killed (SIGKILL)", `severed after ${ms(probationMs)}, offline after ${ms(severedMs)}`, async () => {
      this.t.say("The attester dies without a word. Nothing tells the controller: it notices the silence itself.");
      const severed = this.watch.next(isLevel(LEVEL_SEVERED), probationMs + 5000, "severed");
      const offline = this.watch.next(isLevel(LEVEL_OFFLINE), severedMs + 5000, "offline");
      await this.lab.killAgent();
      const sev = await severed;
      // The last heartbeat the controller accepted (one still in the wire when the kill landed counts).
      const lastBeat = this.watch.history.filter((event) => event.kind === "ack" && event.atMs <= sev.atMs).at(-1)?.atMs ?? NaN;
      severedAfter = sev.atMs - lastBeat;
      await sleep(50);
      const severedPaths = this.pathsText();
      const networkOpenWhileSevered = !this.conducting("net0") && this.conducting("power0");
      this.t.event(this.t.bold(`severed ${ms(severedAfter)} after the last heartbeat (deadline ${ms(probationMs)} at probation): ${severedPaths}`));
      const off = await offline;
      offlineAfter = off.atMs - lastBeat;
      await sleep(50);
      this.t.event(this.t.bold(`offline ${ms(offlineAfter)} after the last heartbeat (deadline ${ms(severedMs)} at severed): ${this.pathsText()}`));
      // Both ends are time-stamped as their frames leave the board's UART, which can lag a few ms
      // under load, so "early" gets a small allowance too; a real early trip would be far off.
      const onTime = (after: number, deadline: number) => after >= deadline - EARLY_ALLOWANCE_MS && after <= deadline + LATE_MARGIN_MS;
      const ok = sev.cause === "deadline" && off.cause === "deadline" && networkOpenWhileSevered && this.allOpen()
        && onTime(severedAfter, probationMs) && onTime(offlineAfter, severedMs);
      return { observed: `severed +${ms(severedAfter)} (${severedPaths}), offline +${ms(offlineAfter)}; all open`, ok };
    });

    await this.step("4 attester back", "still offline (latched); paths open", async () => {
      this.t.say("The attester restarts and its heartbeats are accepted again, but a trip never clears itself.");
      const firstAck = this.watch.next(isAck, 15_000, "a heartbeat accepted after the restart");
      this.lab.startAgent();
      const ack = await firstAck;
      this.t.event(`heartbeat seq ${ack.seq} accepted, ACK says level ${ack.level}: heartbeats flow, the level stays`);
      const changes = this.watch.history.length;
      const beats = await this.heartbeatsDuring(LATCH_WATCH_MS);
      const changed = this.watch.history.slice(changes).some((event) => event.kind === "level");
      const age = this.watch.heartbeatAgeMs() ?? Infinity;
      const ok = !changed && this.level() === LEVEL_OFFLINE && this.allOpen() && beats >= 3 && age < probationMs;
      return { observed: `${this.watch.levelName()} (${this.watch.cause}) with ${beats} heartbeats in ${seconds(LATCH_WATCH_MS)}; ${this.pathsText()}`, ok };
    });

    await this.step("5 two operators restore", "standard (quorum); paths closed", async () => {
      this.t.say("Lowering takes k-of-n: operators 1 and 2 each sign the controller's fresh, single-use challenge.");
      await this.lab.restore([1, 2]);
      await this.watch.until(() => this.level() === LEVEL_STANDARD && this.allClosed(), 5000, "standard with every path closed");
      await sleep(200); // past any contact bounce: closed means settled closed
      const ok = this.level() === LEVEL_STANDARD && this.watch.cause === "quorum" && this.allClosed();
      return { observed: `${this.watch.levelName()} (${this.watch.cause}); ${this.pathsText()}`, ok };
    });

    await this.step("6 e-stop pressed and released", "offline (estop); stays offline after release", async () => {
      this.t.say("Someone hits the emergency stop, then releases it. A released stop must never restart the load.");
      const offline = this.watch.next(isLevel(LEVEL_OFFLINE), 3000, "offline after the e-stop");
      const pressedAt = this.watch.nowMs();
      this.t.event("e-stop pressed");
      this.lab.sim!.board.press("estop", true);
      const off = await offline;
      const opened = () => this.watch.history.filter((event) => event.kind === "path" && !event.conducting && event.atMs >= pressedAt);
      await this.watch.until(() => this.allOpen() && opened().length >= this.watch.shownPaths.length, 2000, "every path open");
      const openAt = Math.max(...opened().map((event) => event.atMs));
      this.t.event(this.t.bold(`offline (${off.cause}) ${ms(off.atMs - pressedAt)} after the press; every path open ${ms(openAt - pressedAt)} after it`));
      await sleep(500);
      this.t.event("e-stop released");
      this.lab.sim!.board.press("estop", false);
      const changes = this.watch.history.length;
      const beats = await this.heartbeatsDuring(LATCH_WATCH_MS);
      const changed = this.watch.history.slice(changes).some((event) => event.kind === "level" || (event.kind === "path" && event.conducting));
      const ok = off.cause === "estop" && !changed && this.level() === LEVEL_OFFLINE && this.allOpen() && beats >= 3;
      const after = this.allOpen() ? "all open" : this.pathsText();
      return { observed: `offline (${off.cause}) +${ms(off.atMs - pressedAt)}; ${seconds(LATCH_WATCH_MS)} after release: ${this.watch.levelName()}, ${after}`, ok };
    });

    await this.step("7 MQTT bridge published the trips", "trip events; retained state offline (estop)", async () => {
      const url = this.lab.brokerUrl;
      if (url === undefined) throw new Error("the bridge is not running");
      const events = this.lab.mqttMessages.filter((message) => message.topic.endsWith("/events")).map((message) => JSON.parse(message.payload) as Record<string, unknown>);
      const levels = events.filter((event) => event.type === "level").map((event) => `${event.levelName} (${event.cause})`);
      const topic = `guillotine/${CONTROLLER_ID}/state`;
      this.t.event(`fresh subscription to ${topic} on ${url}:`);
      const retained = await MqttWatch.readRetained(url, topic);
      if (retained === undefined) throw new Error(`no retained message on ${topic}`);
      this.t.say(`  ${retained.topic} (retained) ${retained.payload}`);
      const state = JSON.parse(retained.payload) as { levelName: string; cause: string; paths: Record<string, string> };
      const paths = Object.entries(state.paths).map(([name, path]) => `${name} ${path}`).join(", ");
      const tripped = levels.includes("severed (deadline)") && levels.includes("offline (deadline)") && levels.includes("offline (estop)");
      const ok = tripped && state.levelName === "offline" && state.cause === "estop" && Object.values(state.paths).every((path) => path === "open");
      const trips = levels.filter((level) => !level.startsWith("probation"));
      return { observed: `events ${trips.join(", ")}; retained ${state.levelName} (${state.cause}), ${paths}`, ok };
    });
  }
}
