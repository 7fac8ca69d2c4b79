/**
 * Everything the demo runs, set up the way a lab would: keys from `guillotine keys create`, the
 * host measured by `guillotine agent measure`, the simulated board provisioned with
 * `guillotine provision` over its maintenance console, the attester as a real
 * `guillotine agent run` process, operators' `ops challenge` / `ops sign` / `ops restore`, and
 * `ops bridge` with its embedded MQTT broker. Owns every child, pty and temporary file, and
 * removes them all in close().
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfigFields } from "../protocol/config.ts";
import { LEVEL_NAMES } from "../protocol/constants.ts";
import { startSimulator, type RunningSimulator } from "../simulator/io/sim-process.ts";
import { BoardWatch } from "./board-watch.ts";
import { Children, type CommandResult, type Daemon } from "./children.ts";
import { MqttWatch, type MqttMessage } from "./mqtt-watch.ts";
import type { Terminal } from "./terminal.ts";

export const CONTROLLER_ID = "demo-rack";
export const OPERATORS = 3;
export const QUORUM = 2;
const HEARTBEAT_PERIOD_MS = 100;
const BRIDGE_POLL_MS = 250;

export interface LabOptions {
  firmware: string;
  board: string;
  seed: number;
  terminal: Terminal;
}

/** "1,002 ms". */
export function ms(value: number): string {
  return `${Math.round(value).toLocaleString("en-US")} ms`;
}

export class Lab {
  readonly dir = mkdtempSync(join(tmpdir(), "guillotine-demo-"));
  readonly children = new Children();
  /** The provisioned deadlines: [standard, probation, severed]. */
  readonly deadlineMs = (defaultConfigFields().deadlineMs as number[]).slice();
  sim: RunningSimulator | undefined;
  watch: BoardWatch | undefined;
  agent: Daemon | undefined;
  bridge: Daemon | undefined;
  brokerUrl: string | undefined;
  mqtt: MqttWatch | undefined;
  /** Every MQTT message seen by the demo's subscriber, across bridge restarts. */
  readonly mqttMessages: MqttMessage[] = [];
  private closed = false;
  private agentStarts = 0;

  constructor(private readonly options: LabOptions) {}

  private get t(): Terminal {
    return this.options.terminal;
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  get opsPort(): string {
    return (this.sim as RunningSimulator).endpoints.ops;
  }

  /** A command line as a person would type it (temporary paths shortened to $D, nonces and tags cut). */
  private shown(args: string[]): string {
    return "$ guillotine " + args.map((arg) => {
      let text = arg.split(this.dir).join("$D");
      text = text.replace(/[0-9a-f]{32}/g, (hex) => hex.slice(0, 8) + "…");
      return /[\s"{]/.test(text) ? `'${text}'` : text;
    }).join(" ");
  }

  private short(text: string): string {
    return text.split(this.dir).join("$D").replace(/[0-9a-f]{32,64}/g, (hex) => hex.slice(0, 8) + "…");
  }

  /** Runs `guillotine ARGS...`, echoing the command and what it prints; throws unless it exits `expect`. */
  async command(args: string[], label: string, expectCode = 0): Promise<CommandResult> {
    this.t.event(this.shown(args));
    const show = (line: string): void => {
      // provision reports every 48 characters staged; the last one says enough.
      const staged = /^\[2\/\d\] sent (\d+)\/(\d+) characters$/.exec(line);
      if (staged === null || staged[1] === staged[2]) this.t.output(label, this.short(line));
    };
    const result = await this.children.run(args, { stdout: show, stderr: show });
    if (result.code !== expectCode) {
      throw new Error(`guillotine ${args.slice(0, 2).join(" ")} exited ${result.code ?? result.signal} (expected ${expectCode}): ${result.stderr.trim().split("\n").at(-1) ?? ""}`);
    }
    return result;
  }

  /** Keys, the measured host file, the agent's configuration and the controller template. */
  async prepare(): Promise<void> {
    this.t.event(`working directory $D = ${this.dir}`);
    const keys = ["host", ...Array.from({ length: OPERATORS }, (_, index) => `op${index}`)].map((name) => this.file(`${name}.key`));
    await this.command(["keys", "create", ...keys], "keys");
    writeFileSync(this.file("vmlinuz"), "the hypervisor's kernel, as measured at boot\n");
    writeFileSync(this.file("agent.json"), JSON.stringify({
      controllerId: CONTROLLER_ID, port: "PORT-SET-LATER", baud: 115200, heartbeatPeriodMs: HEARTBEAT_PERIOD_MS,
      keyFile: this.file("host.key"), socketPath: this.file("agent.sock"), measureEveryMs: 60000, commandTimeoutMs: 5000,
      measurements: { files: [this.file("vmlinuz")], commands: [], tpmPcrs: [] },
    }, null, 2));
  }

  /** Starts the simulated board in real time with the built firmware saved in its flash. */
  async startBoard(): Promise<void> {
    this.sim = await startSimulator({
      boardId: this.options.board, loadFile: this.options.firmware, seed: this.options.seed,
      onDiagnostic: (text) => this.t.event(this.t.bad(`simulator: ${text}`)),
    });
    this.watch = new BoardWatch(this.sim.board);
    const endpoints = this.sim.endpoints;
    this.t.event(`simulated ${endpoints.board} board running ${this.options.firmware.replace(/^.*\/dist\//, "dist/")} (seed ${endpoints.seed})`);
    this.t.output("sim", `host link ${endpoints.host}`);
    this.t.output("sim", `ops link  ${endpoints.ops}`);
    this.t.output("sim", `console   ${endpoints.console}`);
    // The agent's configuration names the host-link pty, known only now.
    const config = JSON.parse(readFileSync(this.file("agent.json"), "utf8"));
    config.port = endpoints.host;
    writeFileSync(this.file("agent.json"), JSON.stringify(config, null, 2));
  }

  /** Measures the host, writes the controller template, provisions in maintenance mode, reboots. */
  async provision(): Promise<void> {
    const board = (this.sim as RunningSimulator).board;
    const measured = await this.command(["agent", "measure", "--config", this.file("agent.json"), "--json"], "measure");
    const digest = (JSON.parse(measured.stdout) as { digest: string }).digest;
    writeFileSync(this.file("controller.json"), JSON.stringify({ version: 1, id: CONTROLLER_ID, quorum: QUORUM, measurements: [digest] }, null, 2));
    this.t.event("maintenance strap fitted, reset: the console is on the programming port, every output open");
    board.press("maintenance", true);
    board.reset();
    const args = ["provision", "--config", this.file("controller.json"), "--port", (this.sim as RunningSimulator).endpoints.console,
      "--host-key", this.file("host.key"), "--backup-dir", this.dir];
    for (let index = 0; index < OPERATORS; index++) args.push("--operator-key", this.file(`op${index}.key`));
    await this.command(args, "provision");
    this.t.event("maintenance strap removed, reset: the controller boots with its new configuration");
    const hello = (this.watch as BoardWatch).next((event) => event.kind === "hello", 10_000, "the controller's HELLO after reset");
    board.press("maintenance", false);
    board.reset();
    await hello;
  }

  startAgent(): Daemon {
    this.agentStarts++;
    const args = ["agent", "run", "--config", this.file("agent.json")];
    this.t.event(this.shown(args) + " &");
    const agent = this.children.start(args, {
      stdout: (line) => this.t.output("agent", this.short(line)),
      stderr: (line) => this.t.output("agent", this.short(line)),
    });
    this.t.output("agent", `pid ${agent.pid}`);
    this.agent = agent;
    void agent.exited.then((code) => {
      if (this.agent === agent && !this.closed) this.t.event(`attester (pid ${agent.pid}) ended: ${code}`);
    });
    return agent;
  }

  /** SIGKILL: the attester dies mid-stride, as a crashed or compromised host would leave it. */
  async killAgent(): Promise<void> {
    const agent = this.agent;
    if (agent === undefined || !agent.running) return;
    this.t.event(`kill -KILL ${agent.pid}   (the attester)`);
    this.agent = undefined;
    const code = await agent.kill("SIGKILL");
    this.t.output("agent", `ended: ${code}`);
  }

  get agentRunning(): boolean {
    return this.agent?.running ?? false;
  }

  /** `guillotine agent request LEVEL --reason ...` through the agent's socket. */
  async request(level: string, reason: string): Promise<CommandResult> {
    return this.command(["agent", "request", level, "--reason", reason, "--socket", this.file("agent.sock")], "request");
  }

  /**
   * Quorum restore to standard as operators do it: a challenge from the controller, each of
   * `operators` signing it offline with their own key, the AUTH lines submitted. While the
   * bridge holds the ops link the commands go through its socket (docs/operations.md 5.1).
   */
  async restore(operators: number[]): Promise<void> {
    const link = this.bridge?.running ? ["--socket", this.file("ops.sock")] : ["--port", this.opsPort];
    if (this.bridge?.running) this.t.event("the bridge holds the ops link: the operators' commands go through its socket");
    const challenge = (await this.command(["ops", "challenge", "standard", "--json", ...link], "ops")).stdout.trim();
    const auth: string[] = [];
    for (const operator of operators) {
      const signed = await this.command(["ops", "sign", "--operator", String(operator), "--key", this.file(`op${operator}.key`), "--challenge", challenge], `op${operator}`);
      auth.push(signed.stdout.trim());
    }
    await this.command(["ops", "restore", "standard", ...auth.flatMap((line) => ["--auth", line]), ...link], "ops");
  }

  /** `guillotine ops bridge` with its embedded broker, and the demo's MQTT subscriber on it. */
  async startBridge(): Promise<void> {
    const args = ["ops", "bridge", "--port", this.opsPort, "--socket", this.file("ops.sock"), "--listen-port", "0", "--interval-ms", String(BRIDGE_POLL_MS)];
    this.t.event(this.shown(args) + " &");
    let resolveUrl: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (resolveUrl = resolve));
    const bridge = this.children.start(args, {
      stdout: (line) => {
        this.t.output("bridge", line);
        const found = /^embedded MQTT broker at (\S+)/.exec(line);
        if (found) resolveUrl(found[1]);
      },
      stderr: (line) => this.t.output("bridge", line),
    });
    this.bridge = bridge;
    this.t.output("bridge", `pid ${bridge.pid}`);
    let timer: NodeJS.Timeout | undefined;
    const started = await Promise.race([url, bridge.exited.then((code) => new Error(`ops bridge exited ${code}`)),
      new Promise<Error>((resolve) => (timer = setTimeout(() => resolve(new Error("ops bridge printed no broker URL within 10 s")), 10_000)))]);
    clearTimeout(timer);
    if (started instanceof Error) throw started;
    this.brokerUrl = started;
    this.mqtt = await MqttWatch.connect(started, `guillotine/${CONTROLLER_ID}/#`, (message) => this.onMqtt(message));
    this.t.event(`subscribed to guillotine/${CONTROLLER_ID}/# on ${started} (mqtt.js)`);
  }

  private onMqtt(message: MqttMessage): void {
    this.mqttMessages.push(message);
    const topic = message.topic.slice(`guillotine/${CONTROLLER_ID}/`.length);
    if (topic === "state") return; // after every STATUS poll: shown on demand, not as it streams
    let text = message.payload;
    try {
      const body = JSON.parse(message.payload) as Record<string, unknown>;
      if (body.type === "level") text = `level ${body.levelName} (cause ${body.cause})`;
      else if (body.type === "session") text = `session ${String(body.session).slice(0, 8)}…, controller at ${LEVEL_NAMES[body.level as number]}`;
      else if (body.type === "link") text = `ops link ${body.state}`;
      else text = JSON.stringify(body);
    } catch {
      // availability and bridge: "online" or "offline"
    }
    this.t.event(`mqtt ${message.topic}${message.retained ? " (retained)" : ""}: ${text}`);
  }

  /** The compact status line: level, each path with its relays, heartbeat age, inputs, attester. */
  status(): { text: string; key: string } | undefined {
    const watch = this.watch;
    if (watch === undefined || this.closed) return undefined;
    const paths = watch.paths().map((path) => `${path.name} ${path.conducting ? "closed" : "open"} (relays ${path.relays.map((closed) => (closed ? "closed" : "open")).join("/")})`);
    const age = watch.heartbeatAgeMs();
    const inputs = Object.entries(watch.inputs()).filter(([, active]) => active).map(([name]) => (name === "estop" ? "E-STOP" : name));
    const level = watch.level === undefined ? "no word from the controller yet" : `${watch.levelName().toUpperCase()} (${watch.cause})`;
    const attester = this.agentRunning ? "attester up" : "attester down";
    const parts = [level, ...paths];
    const key = [...parts, inputs.join(","), attester].join(" | ");
    parts.push(age === undefined ? "no heartbeat yet" : `heartbeat ${ms(age)} ago`);
    if (inputs.length > 0) parts.push(inputs.join(" ") + " active");
    parts.push(attester);
    return { text: "status: " + parts.join(" | "), key };
  }

  /** Stops everything this lab started and removes its files. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.mqtt?.close().catch(() => undefined);
    await this.children.stopAll();
    this.watch?.close();
    await this.sim?.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** On a hard exit: kill children now, remove the directory (the simulator cleans its own ptys). */
  closeNow(): void {
    this.children.killAllNow();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
