/**
 * A serial device of the MCU (Serial1..n, USB, Bluetooth, LoopbackA/B) with its two lines.
 * Received bytes wait in a small RX buffer until the interpreter's idle loop takes them;
 * when it is full (the interpreter is busy or hung) further bytes are dropped and FIFO_FULL
 * is raised, as Espruino does. A UART receives and sends only after setup() (its pins are
 * not routed before), except the one that is the console at power-on.
 *
 * When the firmware's baud rate differs from the peer's, every byte arrives garbled and a
 * framing error is reported, as a real UART would.
 */
import type { Clock } from "../clock.ts";
import type { Rng } from "../rng.ts";
import { BAUD_DEFAULT, SerialLine } from "../world/serial-line.ts";

/**
 * Received bytes the board holds before the interpreter reads them: Espruino's one input event
 * queue, shared by every device (and by pin watches, which the simulator queues apart). Its
 * size is set per board by Espruino's build (scripts/build_platform_config.py of 2v29):
 * 1,024 bytes with 96 KB of RAM or more and on nRF52, 4,096 on the ESP32 (its board file);
 * each event of up to 64 received characters takes 2 bytes more.
 */
export function rxQueueChars(family: "stm32" | "nrf52" | "esp32"): number {
  const bytes = family === "esp32" ? 4096 : 1024;
  return Math.floor((bytes * 64) / 66);
}

/** What the devices of one board hold together. */
export interface RxQueue {
  capacity: number;
  used: number;
}
/** Espruino's default for Serial.setup() without a baud rate. */
export const SETUP_BAUD_DEFAULT = 9600;

export type UartKind = "uart" | "usb" | "bluetooth" | "loopback";

export interface UartOptions {
  name: string;
  kind: UartKind;
  clock: Clock;
  rng: Rng;
  /** The far end's baud rate (the host's, per the link profile). */
  peerBaud: number;
  /** Configured from power-on (the boot console). */
  configuredAtBoot: boolean;
  /** Bytes that left the device and crossed its line. */
  output: (data: string) => void;
  /** The board's input queue, shared with its other devices. */
  rxQueue: RxQueue;
}

export interface UartEvents {
  /** Bytes are waiting in the RX buffer; the last arrived at `atMs` (the idle loop takes them then). */
  received(atMs: number): void;
  /** A byte was lost to a full RX buffer. */
  overflow(): void;
  /** A byte arrived with a framing error (baud mismatch). */
  framing(): void;
}

export function uartKind(name: string): UartKind {
  if (name === "USB") return "usb";
  if (name === "Bluetooth") return "bluetooth";
  if (name.startsWith("Loopback")) return "loopback";
  return "uart";
}

export class Uart {
  readonly name: string;
  readonly kind: UartKind;
  readonly txLine: SerialLine;
  readonly rxLine: SerialLine;
  /** Baud rate set by setup(); undefined while the UART is not set up. */
  configuredBaud: number | undefined;
  /** The other end of a loopback pair. */
  partner: Uart | undefined;
  events: UartEvents | undefined;
  droppedTxBytes = 0;
  private rxBuffer = "";

  constructor(private readonly options: UartOptions) {
    this.name = options.name;
    this.kind = options.kind;
    const paced = options.kind === "uart" ? options.peerBaud : undefined;
    this.txLine = new SerialLine({ clock: options.clock, rng: options.rng.derive("tx"), baud: paced, deliver: (data, atMs) => this.transmitted(data, atMs) });
    this.rxLine = new SerialLine({ clock: options.clock, rng: options.rng.derive("rx"), baud: paced, deliver: (data, atMs) => this.receive(data, atMs) });
    this.reset();
  }

  get pendingRxBytes(): number {
    return this.rxBuffer.length;
  }

  /** Serial.setup(baud): the device now sends at this rate (the peer keeps sending at its own). */
  setup(baud: number): void {
    this.configuredBaud = baud;
    if (this.kind === "uart") this.txLine.baud = baud;
  }

  /** Bytes from the interpreter (write/print). Dropped while a UART is not set up. */
  write(data: string): void {
    if (!this.ready()) {
      this.droppedTxBytes += data.length;
      return;
    }
    this.txLine.send(data);
  }

  /** Bytes that arrived on the RX pin, the last at `atMs` (now, unless the line caught up on overdue bytes). */
  receive(data: string, atMs = this.options.clock.nowMs()): void {
    if (!this.ready()) return;
    for (let index = 0; index < data.length; index++) this.receiveByte(data.charCodeAt(index));
    if (this.rxBuffer.length > 0) this.events?.received(atMs);
  }

  /** Everything waiting in the RX buffer, which is then empty. */
  takeReceived(): string {
    const data = this.rxBuffer;
    this.rxBuffer = "";
    this.options.rxQueue.used -= data.length;
    return data;
  }

  /** Soft reset (reset(), load()): back to the power-on setup; bytes already received stay. */
  unsetup(): void {
    this.configuredBaud = this.options.configuredAtBoot || this.kind !== "uart" ? this.options.peerBaud : undefined;
    if (this.kind === "uart" && this.txLine.baud !== this.options.peerBaud) this.txLine.baud = this.options.peerBaud;
  }

  /** Hardware reset: not set up, buffers and lines empty. */
  reset(): void {
    this.unsetup();
    this.options.rxQueue.used -= this.rxBuffer.length;
    this.rxBuffer = "";
    this.txLine.clear();
    this.rxLine.clear();
    this.events = undefined;
  }

  private ready(): boolean {
    return this.configuredBaud !== undefined;
  }

  private receiveByte(byte: number): void {
    let value = byte;
    if (this.kind === "uart" && this.configuredBaud !== this.options.peerBaud) {
      value = this.options.rng.int(256);
      this.events?.framing();
    }
    const queue = this.options.rxQueue;
    if (queue.used >= queue.capacity) {
      this.events?.overflow();
      return;
    }
    queue.used++;
    this.rxBuffer += String.fromCharCode(value);
  }

  private transmitted(data: string, atMs: number): void {
    if (this.partner !== undefined) this.partner.receive(data, atMs);
    else this.options.output(data);
  }
}

export { BAUD_DEFAULT };
