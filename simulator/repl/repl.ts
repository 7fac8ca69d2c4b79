/**
 * The Espruino REPL's line discipline (src/jsinteractive.c), for the console on the
 * programming port. It turns a byte stream, in chunks of any size, into statements for the
 * interpreter and writes back what a real board writes, so the real `espruino` tool can
 * upload through it (docs/espruino.md section 4):
 *
 * - a line ends in \r, \n or \r\n; it runs once its brackets balance, otherwise `:` continues it;
 * - `ESC \n` is a newline inside the statement that never runs it;
 * - `ESC [ <n> d` line-number markers and other escape sequences are consumed, never run;
 * - DLE (0x10) first on a line: that line is neither echoed nor followed by `=value`;
 * - otherwise characters are echoed as they arrive, and the result printed as `=value`;
 * - an uncaught error prints `Uncaught Error: ...`; Ctrl-C clears the line; backspace edits it;
 * - a locked console (E.lockConsole) asks `password>` first;
 * - the prompt `>` comes back after output, and an idle board writes nothing at all.
 *
 * The board attaches it (SimulatedBoard.attachRepl) and feeds it only the bytes that arrive on
 * the device that is the console now, so once the firmware moves the console off the
 * programming port, nothing typed there reaches an interpreter.
 */
import type { ConsoleLineDiscipline, ConsoleState, EvalResult } from "../simulated-board.ts";
import { PASSWORD_CHARS_MAX } from "../espruino-api/console-api.ts";
import { countBrackets } from "./repl-brackets.ts";
import { formatThrown, formatValue } from "./repl-format.ts";

/** The part of SimulatedBoard the REPL uses; tests give a fake. */
export interface ReplHost {
  /** Runs one statement in the global scope; uncaught errors come back, not printed. */
  evaluate(code: string): EvalResult;
  /** Writes REPL text out of the console device, in order with the interpreter's own output. */
  consoleWrite(text: string): void;
  readonly console: Pick<ConsoleState, "echo" | "locked">;
  unlockConsole(password: string): boolean;
}

const DLE = 0x10;
const ESC = 0x1b;
const CTRL_C = 0x03;
const CTRL_U = 0x15;
const CTRL_W = 0x17;

/** Escape-sequence states, as InputState in jsinteractive.c (ss3 = `ESC O`, numpad keys). */
type EscapeState = "none" | "esc" | "csi" | "csi-number" | "ss3";

export class Repl implements ConsoleLineDiscipline {
  private line = "";
  /** DLE started this line: no echo, no `=value`. */
  private echoOffForLine = false;
  /** The prompt and input line are not on screen (output came after them). */
  private lineRemoved = false;
  private escape: EscapeState = "none";
  private hadCarriageReturn = false;

  constructor(private readonly host: ReplHost) {}

  /** Bytes arriving on the console, in any chunking (a binary string: one char per byte). */
  input(data: string): void {
    for (let index = 0; index < data.length; index++) this.handleChar(data.charCodeAt(index));
    this.returnInputLine();
  }

  /**
   * The interpreter restarted: any half-typed line is gone. The banner and prompt a real board
   * prints at boot count as already on screen, so an idle board stays silent.
   */
  interpreterRestarted(): void {
    this.line = "";
    this.echoOffForLine = false;
    this.escape = "none";
    this.hadCarriageReturn = false;
    this.lineRemoved = false;
  }

  /** Takes the prompt and input line off the screen; the runtime may call it before other output. */
  removeInputLine(): void {
    if (this.lineRemoved) return;
    this.lineRemoved = true;
    if (!this.echoOn()) return;
    const linesUp = this.line.split("\n").length - 1;
    this.host.consoleWrite("\x1b[A".repeat(linesUp) + "\r\x1b[J");
  }

  /** Puts the prompt (and any half-typed line) back after output, as Espruino's idle loop does. */
  returnInputLine(): void {
    if (!this.lineRemoved || !this.echoOn()) return;
    this.lineRemoved = false;
    if (this.host.console.locked) return this.host.consoleWrite("password>");
    this.host.consoleWrite(">" + this.line.replace(/\n/g, "\r\n:"));
  }

  private echoOn(): boolean {
    return this.host.console.echo && !this.echoOffForLine;
  }

  private showInputLine(): boolean {
    return this.echoOn() && !this.lineRemoved && !this.host.console.locked;
  }

  private handleChar(code: number): void {
    if (this.host.console.locked) return this.handlePasswordChar(code);
    const wasCarriageReturn = this.hadCarriageReturn;
    this.hadCarriageReturn = false;
    if (this.escape !== "none") return this.handleEscape(code);
    if (code === 0) return;
    if (code === CTRL_C || code === CTRL_U || code === CTRL_W) return this.cancelLine();
    if (code === ESC) {
      this.escape = "esc";
      return;
    }
    if (code === DLE && this.line === "") {
      this.echoOffForLine = true;
      return;
    }
    if (code === 0x08 || code === 0x7f) return this.backspace();
    if (code === 0x0a && wasCarriageReturn) return;
    if (code === 0x0d || code === 0x0a) {
      this.hadCarriageReturn = code === 0x0d;
      return this.newLine(true);
    }
    if (code >= 0x20 || code === 0x09) this.append(code === 0x09 ? "    " : String.fromCharCode(code));
  }

  private handleEscape(code: number): void {
    const state = this.escape;
    this.escape = "none";
    const isDigit = code >= 0x30 && code <= 0x39;
    if (state === "esc") {
      if (code === 0x5b) this.escape = "csi";
      else if (code === 0x4f) this.escape = "ss3";
      else if (code === 0x0a) this.newLine(false);
    } else if ((state === "csi" || state === "csi-number") && isDigit) {
      this.escape = "csi-number";
    }
    // The final byte (`d` of a line-number marker, a cursor key, `~`) is consumed: this REPL
    // keeps its cursor at the end of the line and has no use for source line numbers.
  }

  /** While locked, a line is a password attempt: never echoed, never evaluated, cut at E.setPassword's limit. */
  private handlePasswordChar(code: number): void {
    if (code !== 0x0d && code !== 0x0a) {
      if (this.line.length < PASSWORD_CHARS_MAX) this.line += String.fromCharCode(code);
      return;
    }
    const attempt = this.line;
    this.line = "";
    if (!this.host.unlockConsole(attempt)) return this.host.consoleWrite("\r\n  Invalid password\r\npassword>");
    this.host.consoleWrite("\r\n  Logged in.\r\n");
    this.lineRemoved = true;
  }

  private append(text: string): void {
    this.line += text;
    if (this.showInputLine()) this.host.consoleWrite(text);
  }

  private backspace(): void {
    if (this.line === "") return;
    const removed = this.line[this.line.length - 1];
    this.line = this.line.slice(0, -1);
    if (!this.showInputLine()) return;
    // Deleting a continuation newline redraws from the previous line, as Espruino does.
    this.host.consoleWrite(removed === "\n" ? "\x1b[A\r\x1b[J>" + this.line.replace(/\n/g, "\r\n:") : "\x08 \x08");
  }

  /** Ctrl-C, Ctrl-U, Ctrl-W: drop the line; a DLE line's silence ends with it. */
  private cancelLine(): void {
    if (this.line !== "") this.removeInputLine();
    this.line = "";
    this.echoOffForLine = false;
  }

  private newLine(execute: boolean): void {
    if (!execute || countBrackets(this.line) > 0) {
      if (this.showInputLine()) this.host.consoleWrite("\r\n:");
      this.line += "\n";
      return;
    }
    if (this.showInputLine()) this.host.consoleWrite("\r\n");
    if (this.echoOn()) this.lineRemoved = true;
    const statement = this.line.trimEnd();
    this.line = "";
    this.run(statement);
    this.echoOffForLine = false;
    this.returnInputLine();
  }

  private run(statement: string): void {
    const echo = this.echoOn();
    // An empty line is not evaluated: Espruino prints no `=undefined` for it.
    if (statement === "") return;
    const result = this.host.evaluate(statement);
    if (!result.ok) {
      if (result.reported) return;
      this.removeInputLine();
      this.host.consoleWrite(uncaughtText(result) + "\r\n");
    } else if (echo) {
      this.host.consoleWrite(`=${formatValue(result.value).replace(/\n/g, "\r\n")}\r\n`);
    }
  }
}

/** `Uncaught Error: ...`: the board's own text for the error when it gives one. */
function uncaughtText(result: { error: unknown; text?: string }): string {
  const text = (result.text ?? formatThrown(result.error)).trimEnd().replace(/\r?\n/g, "\r\n");
  return text.startsWith("Uncaught ") ? text : `Uncaught ${text}`;
}
