/**
 * The ops daemon: holds each controller's ops link and serves it to everything that needs
 * it at once: `guillotine ops` commands on a Unix socket per controller, MQTT (the bridge),
 * and the read-only web view. Without it each command opens the port itself.
 */
import type { PathProfile } from "../../hardware/profile-types.ts";
import type { Timers } from "../../kit/timers.ts";
import type { Link } from "../../kit/transport/link.ts";
import { MqttPublisher } from "../bridge/bridge.ts";
import type { MqttSettings } from "../bridge/bridge.ts";
import type { ControllerView } from "./controller-view.ts";
import { WatchedController } from "./watched-controller.ts";

export interface DaemonLink {
  where: string;
  open: () => Promise<Link>;
  socketPath: string | undefined;
}

export interface DaemonSettings {
  links: DaemonLink[];
  socketMode: number;
  paths: PathProfile[];
  pollMs: number;
  answerTimeoutMs: number;
  timers: Timers;
  log: (line: string) => void;
}

export class OpsDaemon {
  readonly controllers: WatchedController[];
  private readonly publishers = new Map<WatchedController, MqttPublisher | "connecting">();
  private readonly changeListeners: Array<() => void> = [];
  /** Set once the first connections were made: from then on late controllers connect on their own. */
  private mqttStarted = false;
  private mqtt: MqttSettings | undefined;
  private stopped = false;

  constructor(private readonly settings: DaemonSettings) {
    this.controllers = settings.links.map((link) => new WatchedController({
      where: link.where, open: link.open, timers: settings.timers, pollMs: settings.pollMs,
      answerTimeoutMs: settings.answerTimeoutMs, paths: settings.paths, log: settings.log,
      onEvent: (controller, event) => {
        const publisher = this.publishers.get(controller);
        if (publisher instanceof MqttPublisher) publisher.handle(event);
      },
      onChange: (controller) => this.changed(controller),
    }));
  }

  /** Starts every socket and link; resolves once each controller said HELLO or `helloTimeoutMs` passed. */
  async start(helloTimeoutMs: number): Promise<void> {
    // Sockets first: a path that is refused stops the daemon before it opens any port.
    for (const [index, link] of this.settings.links.entries()) {
      if (link.socketPath !== undefined) await this.controllers[index].serveSocket(link.socketPath, this.settings.socketMode);
    }
    for (const controller of this.controllers) controller.start();
    await Promise.all(this.controllers.map((controller) => controller.waitForHello(helloTimeoutMs)));
  }

  /** Turns MQTT on; connectMqtt then connects the controllers known so far. */
  enableMqtt(settings: MqttSettings): void {
    this.mqtt = settings;
  }

  /** Connects MQTT for every controller that said who it is; throws the first broker error. */
  async connectMqtt(): Promise<MqttPublisher[]> {
    if (this.mqtt === undefined) return [];
    const connected: MqttPublisher[] = [];
    for (const controller of this.controllers) {
      if (controller.view.id === undefined || this.publishers.has(controller)) continue;
      connected.push(await this.connectPublisher(controller));
    }
    this.mqttStarted = true;
    return connected;
  }

  views(): ControllerView[] {
    return this.controllers.map((controller) => controller.view);
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const publisher of this.publishers.values()) if (publisher instanceof MqttPublisher) await publisher.close();
    this.publishers.clear();
    for (const controller of this.controllers) await controller.stop();
  }

  private async connectPublisher(controller: WatchedController): Promise<MqttPublisher> {
    const mqtt = this.mqtt as MqttSettings;
    this.publishers.set(controller, "connecting");
    try {
      const publisher = await MqttPublisher.connect(mqtt, controller.view.id as string, this.settings.timers, this.settings.log);
      if (this.stopped) {
        await publisher.close();
        throw new Error("the ops daemon stopped while connecting to MQTT");
      }
      this.publishers.set(controller, publisher);
      publisher.update(controller.view);
      return publisher;
    } catch (error) {
      this.publishers.delete(controller);
      throw error;
    }
  }

  private changed(controller: WatchedController): void {
    let publisher = this.publishers.get(controller);
    if (publisher instanceof MqttPublisher && publisher.id !== controller.view.id) {
      // Another controller now answers on this port: its topics are its own.
      void publisher.close();
      this.publishers.delete(controller);
      publisher = undefined;
    }
    if (publisher instanceof MqttPublisher) publisher.update(controller.view);
    else if (publisher === undefined && this.mqttStarted && controller.view.id !== undefined) {
      // A controller that answered only after start: connect it now; a refusal is logged and retried on its next change.
      this.connectPublisher(controller).then(
        (connected) => this.settings.log(`bridging ${controller.view.id} to ${this.mqtt?.url} under ${connected.topics.state.replace(/\/state$/, "")}/`),
        (error: Error) => this.settings.log(error.message),
      );
    }
    for (const listener of this.changeListeners) listener();
  }
}
