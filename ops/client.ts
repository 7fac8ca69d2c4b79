/**
 * One operator session on the ops link: opens the port, SYNCs to learn the controller's id and
 * level from HELLO, then asks one frame at a time and waits for its answer. Frames nobody
 * asked for (LEVEL, the STATUS sent each second at probation, a reboot's HELLO) go to
 * listeners. Every failure is a CommandError carrying the exit code it maps to.
 */
import { CommandError } from "../kit/command/command-error.ts";
import { EXIT_REFUSED, EXIT_UNREACHABLE } from "../kit/command/exit-codes.ts";
import { parseControllerFrame } from "../protocol/controller-frames.ts";
import type { ControllerFrame } from "../protocol/controller-frames.ts";
import type { Timers } from "../kit/timers.ts";
import type { Link } from "../kit/transport/link.ts";
import { explainRefusal } from "./refusals.ts";

export type Hello = Extract<ControllerFrame, { type: "HELLO" }>;
type FrameOf<T extends ControllerFrame["type"]> = Extract<ControllerFrame, { type: T }>;

interface Pending {
  types: string[];
  resolve: (frame: ControllerFrame) => void;
  reject: (error: CommandError) => void;
}

export class OpsClient {
  hello!: Hello;
  private pending: Pending | undefined;
  private readonly listeners: Array<(frame: ControllerFrame) => void> = [];

  private constructor(private readonly link: Link, private readonly timers: Timers, private readonly answerTimeoutMs: number, private readonly where: string) {
    link.onLine((text) => this.receive(parseControllerFrame(text)));
    link.onClose((reason) => this.pending?.reject(new CommandError(EXIT_UNREACHABLE, `${where} closed${reason ? ": " + reason.message : ""}`)));
  }

  /** Opens the session: SYNC, then HELLO within the answer timeout. */
  static async start(link: Link, timers: Timers, answerTimeoutMs: number, where: string): Promise<OpsClient> {
    const client = new OpsClient(link, timers, answerTimeoutMs, where);
    try {
      client.hello = await client.ask("SYNC", "HELLO");
    } catch (error) {
      await link.close();
      throw error;
    }
    return client;
  }

  onUnsolicited(listener: (frame: ControllerFrame) => void): void {
    this.listeners.push(listener);
  }

  /** Sends `line`, returns the answer of type `type`; an ERR answer throws CommandError (refused). */
  async ask<T extends ControllerFrame["type"]>(line: string, ...types: T[]): Promise<FrameOf<T>> {
    const frame = await this.exchange(line, types);
    if (frame.type === "ERR") throw new CommandError(EXIT_REFUSED, explainRefusal(frame.code));
    return frame as FrameOf<T>;
  }

  async close(): Promise<void> {
    await this.link.close();
  }

  private exchange(line: string, types: string[]): Promise<ControllerFrame> {
    if (this.pending !== undefined) throw new Error("OpsClient: one question at a time");
    return new Promise((resolve, reject) => {
      const cancel = this.timers.after(this.answerTimeoutMs, () => finish(() => reject(new CommandError(EXIT_UNREACHABLE,
        `no answer to ${line.split(" ")[0]} from ${this.where} within ${this.answerTimeoutMs} ms: is this the controller's ops link, and is the controller powered?`))));
      const finish = (settle: () => void): void => {
        cancel();
        this.pending = undefined;
        settle();
      };
      this.pending = {
        types: [...types, "ERR"],
        resolve: (frame) => finish(() => resolve(frame)),
        reject: (error) => finish(() => reject(error)),
      };
      if (!this.link.writeLine(line)) this.pending.reject(new CommandError(EXIT_UNREACHABLE, `${this.where} is closed`));
    });
  }

  private receive(frame: ControllerFrame): void {
    if (this.pending !== undefined && this.pending.types.includes(frame.type)) {
      this.pending.resolve(frame);
      return;
    }
    for (const listener of this.listeners) listener(frame);
  }
}
