/** Serial transport: opens a port by path (a UART adapter or one end of a socat pty pair). */
import { SerialPort } from "serialport";
import type { Duplex } from "node:stream";
import { linkOverStream } from "./stream-link.ts";
import type { Link } from "./link.ts";

/** Opens `path` as a raw byte stream; rejects with a message that says what to check. */
export function openSerialStream(path: string, baudRate: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    // SerialPortStream has no _destroy of its own: destroy() would leave the port open and
    // locked, so a second open in this process fails. Make destroy() close it.
    port._destroy = (error, callback) => {
      if (port.isOpen) port.close(() => callback(error));
      else callback(error);
    };
    port.open((error) => {
      if (!error) return resolve(port);
      reject(new Error(`cannot open serial port ${path}: ${explainOpenError(error.message)}`));
    });
  });
}

/** Opens `path` as a protocol line link. */
export async function openSerialLink(path: string, baudRate: number): Promise<Link> {
  return linkOverStream(await openSerialStream(path, baudRate));
}

function explainOpenError(message: string): string {
  if (/ENOENT|No such file/i.test(message)) return "no such device (is it plugged in, or is the simulator running?)";
  if (/lock/i.test(message)) return "in use by another process (an agent or bridge already holds it)";
  if (/EACCES|Permission/i.test(message)) return "permission denied (add this user to the dialout group)";
  return message;
}
