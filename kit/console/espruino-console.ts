/**
 * A client for the Espruino REPL on a board's programming port (docs/espruino.md section 4), as the
 * espruino tool speaks it: wake the prompt with a newline (Ctrl-C on retry), then send each
 * statement on one line prefixed with DLE (0x10, "do not echo"), wrapped in a print() whose
 * markers let us find the JSON result in whatever else the board prints.
 *
 * The markers are built by string concatenation on the board ("<g"+"7<"), so a board that
 * echoed our line anyway would not show the marker itself and fool the parser.
 */
import type { Duplex } from "node:stream";
import type { Timers } from "../timers.ts";

export class ConsoleError extends Error {}

/** Output kept while waiting for an answer; more is dropped from the front. */
const OUTPUT_CHARS_MAX = 65536;
const PROMPT_TRIES = 3;
/**
 * Longest statement line we send. A board takes input into a small buffer (the simulator's is
 * 256 bytes, Espruino's event queue is of that order) and drops what overflows while it is
 * busy, so long lines can be cut; every statement here is built to stay under this.
 */
export const STATEMENT_CHARS_MAX = 200;
/** Error flags that mean our input was dropped, so the statement will never answer. */
const INPUT_LOST = /New interpreter error: [A-Z_,]*(FIFO_FULL|UART_OVERFLOW|BUFFER_FULL)/;
const CTRL_C = "\x03";
const DLE = "\x10";

export class EspruinoConsole {
  private output = "";
  /** Everything the board printed since the console opened (the last OUTPUT_CHARS_MAX characters). */
  private transcript = "";
  private closed = false;
  private wake: (() => void) | undefined;
  private sequence = 0;

  constructor(private readonly stream: Duplex, private readonly timers: Timers, private readonly answerTimeoutMs = 5000) {
    stream.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      this.output = (this.output + text).slice(-OUTPUT_CHARS_MAX);
      this.transcript = (this.transcript + text).slice(-OUTPUT_CHARS_MAX);
      this.wake?.();
    });
    stream.on("error", () => stream.destroy());
    stream.on("close", () => {
      this.closed = true;
      this.wake?.();
    });
  }

  /** Waits for the `>` prompt; throws ConsoleError saying why there is none. */
  async waitForPrompt(promptTimeoutMs = 1000): Promise<void> {
    for (let attempt = 0; attempt < PROMPT_TRIES; attempt++) {
      this.output = "";
      this.stream.write(attempt === 0 ? "\n" : CTRL_C + "\n");
      await this.waitUntil(() => this.output.trimEnd().endsWith(">"), promptTimeoutMs);
      if (this.output.trimEnd().endsWith("password>")) {
        throw new ConsoleError("the console is locked with a password (E.lockConsole); unlock it by hand first");
      }
      if (this.output.trimEnd().endsWith(">")) return;
      if (this.closed) break;
    }
    throw new ConsoleError("no Espruino prompt: is the board in maintenance mode (strap fitted, then reset) and is this its programming port?");
  }

  /** Evaluates one JavaScript expression on the board and returns its JSON value. */
  async evaluate(expression: string): Promise<unknown> {
    if (/[\r\n]/.test(expression)) throw new Error("console: an expression must fit on one line");
    const n = ++this.sequence;
    const start = `<g${n}< `;
    const end = ` >g${n}>`;
    const line = `${DLE}print("<g"+"${n}< "+JSON.stringify(${expression})+" >g"+"${n}>")\n`;
    if (line.length > STATEMENT_CHARS_MAX) throw new Error(`console: statement of ${line.length} characters exceeds ${STATEMENT_CHARS_MAX}`);
    this.output = "";
    this.stream.write(line);
    const uncaught = /Uncaught ([^\r\n]*)\r?\n/;
    await this.waitUntil(() => this.output.includes(end) || uncaught.test(this.output) || INPUT_LOST.test(this.output), this.answerTimeoutMs);
    const from = this.output.indexOf(start);
    const to = this.output.indexOf(end);
    if (from >= 0 && to > from) {
      const text = this.output.slice(from + start.length, to);
      return text === "undefined" ? undefined : JSON.parse(text);
    }
    const error = uncaught.exec(this.output);
    if (error) throw new ConsoleError(`the board refused a statement: ${error[1]}`);
    if (INPUT_LOST.test(this.output)) {
      this.stream.write(CTRL_C);
      throw new ConsoleError("the board dropped input (its input buffer overflowed while busy); try again");
    }
    if (this.closed) throw new ConsoleError("the console connection closed");
    const printed = this.output.length > 0 ? `; it printed ${JSON.stringify(this.output.slice(-160))}` : "";
    throw new ConsoleError(`no answer from the board within ${this.answerTimeoutMs} ms${printed}`);
  }

  /** Everything the board printed since the console opened, answers included (bounded). */
  heard(): string {
    return this.transcript;
  }

  close(): void {
    this.stream.destroy();
  }

  private waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        this.wake = undefined;
        cancel();
        resolve();
      };
      const cancel = this.timers.after(timeoutMs, finish);
      this.wake = () => {
        if (check() || this.closed) finish();
      };
      this.wake();
    });
  }
}
