/**
 * Publishes one controller to MQTT the way Home Assistant and Tasmota users expect: retained
 * JSON state with named paths, on every change and again every refresh period; events as
 * they happen; availability "online"/"offline" for the controller and, held by the broker as
 * the last will, for the bridge itself; and Home Assistant discovery for the device. The
 * bridge only watches: nothing received over MQTT ever reaches the controller (the one
 * subscription is Home Assistant's birth message, which makes it repeat the discovery).
 */
import { connectAsync } from "mqtt";
import type { IClientOptions, MqttClient } from "mqtt";
import { randomBytes } from "node:crypto";
import { LEVEL_NAMES } from "../../protocol/constants.ts";
import type { Cancel, Timers } from "../../kit/timers.ts";
import type { ControllerView } from "../daemon/controller-view.ts";
import { viewSummary } from "../daemon/controller-view.ts";
import type { MonitorEvent } from "../monitor.ts";
import { discoveryMessages } from "./discovery.ts";
import { OFFLINE, ONLINE, topicsFor } from "./topics.ts";
import type { Topics } from "./topics.ts";

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  /** PEM of the CA that signed the broker's certificate (mqtts://), when not a system CA. */
  ca?: Buffer;
  prefix: string;
  /** Home Assistant's discovery prefix; undefined turns discovery off. */
  discoveryPrefix: string | undefined;
  refreshMs: number;
  /** The board's name for the device's model. */
  model: string;
}

/** The state message: what the view holds, paths by name. */
export function stateMessage(view: ControllerView): Record<string, unknown> {
  return {
    at: new Date().toISOString(), id: view.id, firmware: view.firmware, session: view.session,
    level: view.level, levelName: view.levelName, cause: view.cause, boot: view.boot, causeBoot: view.causeBoot,
    paths: Object.fromEntries(view.paths.map((path) => [path.name, path.state])),
    inputs: view.inputs, heartbeatAgeMs: view.heartbeatAgeMs, seq: view.seq, uptimeS: view.uptimeS, logNext: view.logNext,
    link: view.link, answering: view.answering,
  };
}

function explainConnectError(url: string, error: Error): string {
  const text = error.message || "connection refused";
  const hint = /not authori[sz]ed|bad user name or password/i.test(text)
    ? "check --mqtt-username and --mqtt-password-file"
    : /certificate|self.signed|SSL|TLS/i.test(text) ? "check --mqtt-ca (the CA that signed the broker's certificate)"
      : "Is it running? Without --broker the bridge starts its own.";
  return `cannot reach the MQTT broker at ${url}: ${text}. ${hint}`;
}

export class MqttPublisher {
  private availability: string | undefined;
  private publishedSummary = "";
  private discovered = "";
  private last: ControllerView | undefined;
  private readonly cancelRefresh: Cancel;

  private constructor(readonly id: string, private readonly client: MqttClient, readonly topics: Topics, private readonly settings: MqttSettings, timers: Timers, log: (line: string) => void) {
    // After a reconnect the broker may have published our will: say where we are again.
    client.on("connect", () => this.announce());
    client.on("offline", () => log("MQTT broker unreachable; reconnecting"));
    client.on("error", (error) => log(`MQTT: ${error.message}`));
    client.on("message", (topic, payload) => {
      if (payload.toString() === ONLINE) this.publishDiscovery(true);
    });
    this.cancelRefresh = timers.every(settings.refreshMs, () => {
      if (this.last !== undefined && this.last.level !== undefined) this.publishState(this.last);
    });
  }

  /** Connects with the bridge's last will set; rejects at once with a clear message when the broker refuses. */
  static async connect(settings: MqttSettings, id: string, timers: Timers, log: (line: string) => void): Promise<MqttPublisher> {
    const topics = topicsFor(settings.prefix, id);
    const options: IClientOptions = {
      clientId: `guillotine-bridge-${id}-${randomBytes(3).toString("hex")}`,
      will: { topic: topics.bridge, payload: Buffer.from(OFFLINE), qos: 1, retain: true },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      username: settings.username,
      password: settings.password,
      ca: settings.ca,
    };
    const client = await connectAsync(settings.url, options, false).catch((error: Error) => {
      throw new Error(explainConnectError(settings.url, error));
    });
    const publisher = new MqttPublisher(id, client, topics, settings, timers, log);
    if (settings.discoveryPrefix !== undefined) await client.subscribeAsync(`${settings.discoveryPrefix}/status`, { qos: 1 });
    publisher.announce();
    return publisher;
  }


  /** Publishes what changed in the view: state on change, availability, discovery when the device changes. */
  update(view: ControllerView): void {
    this.last = view;
    this.setAvailability(view.answering ? ONLINE : OFFLINE);
    if (view.level === undefined) return;
    this.publishDiscovery(false);
    const summary = viewSummary(view);
    if (summary !== this.publishedSummary) this.publishState(view);
  }

  /** Publishes one monitor event on the events topic. */
  handle(event: MonitorEvent): void {
    const at = new Date().toISOString();
    switch (event.type) {
      case "level":
        return this.publish(this.topics.events, { at, type: "level", level: event.level, levelName: LEVEL_NAMES[event.level], cause: event.cause });
      case "refused":
        return this.publish(this.topics.events, { at, type: "refused", code: event.code });
      case "hello":
        return this.publish(this.topics.events, { at, type: "session", firmware: event.hello.firmware, session: event.hello.nonce, level: event.hello.level });
      case "silent":
        return this.publish(this.topics.events, { at, type: "silent", silentMs: Math.round(event.silentMs) });
      case "link":
        if (event.state.state !== "connecting") this.publish(this.topics.events, { at, type: "link", ...event.state });
        return;
      case "status":
        return;
    }
  }

  /** A clean stop: the bridge is offline (not a crash, but the controller is no longer watched). */
  async close(): Promise<void> {
    this.cancelRefresh();
    await this.client.publishAsync(this.topics.bridge, OFFLINE, { qos: 1, retain: true }).catch(() => undefined);
    await this.client.endAsync();
  }

  private announce(): void {
    this.client.publish(this.topics.bridge, ONLINE, { qos: 1, retain: true });
    if (this.availability !== undefined) this.client.publish(this.topics.availability, this.availability, { qos: 1, retain: true });
  }

  private setAvailability(value: string): void {
    if (value === this.availability) return;
    this.availability = value;
    this.client.publish(this.topics.availability, value, { qos: 1, retain: true });
  }

  private publishState(view: ControllerView): void {
    this.publishedSummary = viewSummary(view);
    this.publish(this.topics.state, stateMessage(view), true);
  }

  /** Discovery once per device shape (firmware, path names), or again when Home Assistant restarts. */
  private publishDiscovery(force: boolean): void {
    const view = this.last;
    if (this.settings.discoveryPrefix === undefined || view === undefined || view.id === undefined || view.paths.length === 0) return;
    const shape = JSON.stringify([view.firmware, view.paths.map((path) => path.name)]);
    if (!force && shape === this.discovered) return;
    this.discovered = shape;
    const messages = discoveryMessages(this.settings.discoveryPrefix, this.topics, { id: view.id, firmware: view.firmware, model: this.settings.model, paths: view.paths });
    for (const message of messages) this.client.publish(message.topic, message.payload, { qos: 1, retain: true });
  }

  private publish(topic: string, body: object, retain = false): void {
    this.client.publish(topic, JSON.stringify(body), { qos: 1, retain });
  }
}
