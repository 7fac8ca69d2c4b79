/**
 * Publishes one controller to MQTT for a fleet dashboard: retained JSON state after every
 * STATUS, events (level changes, refusals, link health) as they happen, and an online flag:
 * retained "1" at QoS 1 while the controller answers, "0" when it does not, and "0" as the
 * broker-held last will if the bridge itself dies. The bridge only watches: nothing received
 * over MQTT ever reaches the controller.
 */
import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";
import { randomBytes } from "node:crypto";
import { LEVEL_NAMES } from "../../protocol/constants.ts";
import type { Hello } from "../client.ts";
import type { MonitorEvent } from "../monitor.ts";
import { statusJson } from "../status-text.ts";
import { topicsFor } from "./topics.ts";

export class MqttPublisher {
  /** Whether the controller answers; the bridge connects only after its first HELLO. */
  private online = true;

  private constructor(private readonly client: MqttClient, private readonly topics: ReturnType<typeof topicsFor>, private readonly log: (line: string) => void) {
    // After a reconnect the broker may have published our will: say where we are again.
    client.on("connect", () => this.publishOnline());
    client.on("offline", () => log("MQTT broker unreachable; reconnecting"));
    client.on("error", (error) => log(`MQTT: ${error.message}`));
  }

  /** Connects with the last will set; rejects at once with a clear message when the broker is down. */
  static async connect(url: string, id: string, log: (line: string) => void): Promise<MqttPublisher> {
    const topics = topicsFor(id);
    const client = await connectAsync(url, {
      clientId: `guillotine-bridge-${id}-${randomBytes(3).toString("hex")}`,
      will: { topic: topics.online, payload: Buffer.from("0"), qos: 1, retain: true },
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    }, false).catch((error: Error) => {
      throw new Error(`cannot reach the MQTT broker at ${url}: ${error.message || "connection refused"}. Is it running? Without --broker the bridge starts its own.`);
    });
    const publisher = new MqttPublisher(client, topics, log);
    publisher.publishOnline();
    return publisher;
  }

  /** Publishes what one monitor event means for the dashboard. */
  handle(event: MonitorEvent, hello: Hello | undefined): void {
    const at = new Date().toISOString();
    switch (event.type) {
      case "status":
        this.setOnline(true);
        if (hello) this.publish(this.topics.state, { at, ...statusJson(hello, event.status) }, true);
        return;
      case "level":
        this.publish(this.topics.events, { at, type: "level", level: event.level, levelName: LEVEL_NAMES[event.level], cause: event.cause });
        return;
      case "refused":
        this.publish(this.topics.events, { at, type: "refused", code: event.code });
        return;
      case "hello":
        this.publish(this.topics.events, { at, type: "session", firmware: event.hello.firmware, session: event.hello.nonce, level: event.hello.level });
        return;
      case "silent":
        this.setOnline(false);
        this.publish(this.topics.events, { at, type: "silent", silentMs: Math.round(event.silentMs) });
        return;
      case "link":
        if (event.state.state === "connecting") return;
        if (event.state.state === "down") this.setOnline(false);
        this.publish(this.topics.events, { at, type: "link", ...event.state });
    }
  }

  /** Publishes "0" (a clean stop is not a crash, but the controller is no longer watched). */
  async close(): Promise<void> {
    this.online = false;
    await this.client.publishAsync(this.topics.online, "0", { qos: 1, retain: true }).catch(() => undefined);
    await this.client.endAsync();
  }

  private setOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.publishOnline();
  }

  private publishOnline(): void {
    this.client.publish(this.topics.online, this.online ? "1" : "0", { qos: 1, retain: true });
  }

  private publish(topic: string, body: object, retain = false): void {
    this.client.publish(topic, JSON.stringify(body), { qos: 1, retain });
  }
}
