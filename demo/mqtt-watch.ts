/**
 * A dashboard's view of the bridge: an mqtt.js client subscribed to guillotine/<id>/# on the
 * bridge's embedded broker, keeping what it received.
 */
import { connectAsync } from "mqtt";
import type { MqttClient } from "mqtt";

export interface MqttMessage {
  topic: string;
  payload: string;
  retained: boolean;
  /** Board-independent wall clock (performance.now()) of arrival. */
  atMs: number;
}

export class MqttWatch {
  readonly messages: MqttMessage[] = [];
  private constructor(private readonly client: MqttClient) {}

  static async connect(url: string, topic: string, onMessage: (message: MqttMessage) => void): Promise<MqttWatch> {
    const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, clientId: `guillotine-demo-${process.pid}-${Math.random().toString(16).slice(2, 8)}` }, false);
    const watch = new MqttWatch(client);
    client.on("message", (received, payload, packet) => {
      const message = { topic: received, payload: payload.toString(), retained: packet.retain, atMs: performance.now() };
      watch.messages.push(message);
      onMessage(message);
    });
    client.on("error", () => undefined);
    await client.subscribeAsync(topic, { qos: 1 });
    return watch;
  }

  /** The first retained message on `topic` a fresh subscription receives, or undefined. */
  static async readRetained(url: string, topic: string, timeoutMs = 3000): Promise<MqttMessage | undefined> {
    const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000 }, false);
    try {
      const message = new Promise<MqttMessage | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        client.on("message", (received, payload, packet) => {
          if (received !== topic || !packet.retain) return;
          clearTimeout(timer);
          resolve({ topic: received, payload: payload.toString(), retained: true, atMs: performance.now() });
        });
      });
      await client.subscribeAsync(topic, { qos: 1 });
      return await message;
    } finally {
      await client.endAsync(true).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync(true).catch(() => undefined);
  }
}
