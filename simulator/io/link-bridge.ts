/**
 * Plugs a simulated board's serial device (or its programming-port console) into the board
 * end of a pty pair, so whatever opens the peer end by path talks to the board as over a UART.
 * The bridge only moves bytes: pacing at the baud rate, unplugged cables and line noise are
 * the board's business (SimulatedBoard.serialInput and faults).
 *
 * A real UART whose peer is not listening loses bytes; a pty instead stores them until socat
 * blocks and serialport then queues without bound. So the bridge keeps at most
 * BRIDGE_BACKLOG_BYTES_MAX unwritten bytes and drops the rest, as the wire would.
 */
import { SerialPort } from "serialport";
import type { SimulatedBoard } from "../simulated-board.ts";
import { openPtyPair } from "./pty-pair.ts";

/** Bytes the board may send ahead of a peer that does not read: a few seconds at 115200 baud. */
export const BRIDGE_BACKLOG_BYTES_MAX = 64 * 1024;

/** One end of a byte stream inside the simulator. Data is a binary string (one char per byte). */
export interface ByteEndpoint {
  /** Bytes from outside going into the board. */
  write(data: Uint8Array): void;
  /** Bytes the board sends out. Returns an unsubscribe function. */
  onData(listener: (data: string) => void): () => void;
}

/** The board's serial device `device` ("Serial1", ...). */
export function serialEndpoint(board: Pick<SimulatedBoard, "serialInput" | "onSerialOutput">, device: string): ByteEndpoint {
  return {
    write: (data) => board.serialInput(device, data),
    onData: (listener) => board.onSerialOutput((from, data) => from === device && listener(data)),
  };
}

/** A USB full-speed bulk packet: the most a USB console takes from the host at once. */
export const USB_PACKET_BYTES = 64;
/** Console input waiting to go in; past this a runaway sender is cut off, as the board's lines do. */
export const CONSOLE_BACKLOG_BYTES_MAX = 1 << 20;

/**
 * The board's programming port (profile.console), where the REPL lives.
 *
 * A real USB console never loses input: the board refuses packets until it has room. TCP and
 * ptys instead hand over whatever piled up (the espruino tool's whole upload in one read),
 * which would overflow the board's small receive buffer. So input goes in one USB packet per
 * turn of the event loop, after the board's idle loop (queued before it) has taken the last.
 */
export function consoleEndpoint(board: Pick<SimulatedBoard, "consoleInput" | "onConsoleOutput">): ByteEndpoint {
  let backlog = "";
  let feeding = false;
  const feed = () => {
    const packet = backlog.slice(0, USB_PACKET_BYTES);
    backlog = backlog.slice(packet.length);
    board.consoleInput(packet);
    if (backlog === "") feeding = false;
    else setImmediate(feed);
  };
  return {
    write: (data) => {
      if (backlog.length + data.length > CONSOLE_BACKLOG_BYTES_MAX) return;
      backlog += Buffer.from(data).toString("latin1");
      if (feeding) return;
      feeding = true;
      setImmediate(feed);
    },
    onData: (listener) => board.onConsoleOutput(listener),
  };
}

export interface SimulatedLink {
  /** The path to give the attester or operator tools, like /dev/ttyACM0. */
  readonly peerPath: string;
  /** Closes the serial handle, then socat. Safe to repeat. */
  close(): Promise<void>;
}

/** Opens a pty pair `<directory>/<name>` and bridges its board end to `endpoint`. */
export async function openSimulatedLink(options: { endpoint: ByteEndpoint; directory: string; name: string; baud: number }): Promise<SimulatedLink> {
  const pair = await openPtyPair({ directory: options.directory, name: options.name });
  let port: SerialPort;
  try {
    port = await openPort(pair.boardPath, options.baud);
  } catch (error) {
    await pair.close();
    throw new Error(`cannot open the board end of the ${options.name} pty (${pair.boardPath}): ${(error as Error).message}`);
  }
  let backlogBytes = 0;
  port.on("data", (data: Buffer) => options.endpoint.write(data));
  // A pty error (the pair is going away) must not take the simulator down.
  port.on("error", () => {});
  const unsubscribe = options.endpoint.onData((data) => {
    if (!port.isOpen || backlogBytes + data.length > BRIDGE_BACKLOG_BYTES_MAX) return;
    backlogBytes += data.length;
    port.write(Buffer.from(data, "latin1"), () => (backlogBytes -= data.length));
  });

  let closing: Promise<void> | undefined;
  return {
    peerPath: pair.peerPath,
    close() {
      closing ??= (async () => {
        unsubscribe();
        if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
        await pair.close();
      })();
      return closing;
    },
  };
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}
