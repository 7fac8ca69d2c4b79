/** Serial transport: opens a port by path (a UART adapter or one end of a socat pty pair). */
import { realpathSync } from "node:fs";
import { notDeviceProblem } from "../input-file.ts";
import { SerialPort } from "serialport";
import type { Duplex } from "node:stream";
import { linkOverStream } from "./stream-link.ts";
import type { Link } from "./link.ts";

/** How often an open port checks that its device node still exists. */
const DEVICE_CHECK_MS = 500;

/** The device `path` names now (symlinks resolved), or undefined when it is gone. */
function deviceOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * On a loaded machine serialport now and then misses a vanished pty (no error, no close), and
 * a link that never hears of it would never reconnect. So the port also ends, as a vanished
 * peer, once its device node is gone or names another device (a replugged adapter, a new
 * socat pair).
 */
function endWhenDeviceVanishes(port: SerialPort, path: string): void {
  const device = deviceOf(path);
  const check = setInterval(() => {
    if (deviceOf(path) === device) return;
    const error = new Error(`${path} disappeared`);
    // Reported before the port closes (its close() emits "close" first), so a link learns why.
    if (port.listenerCount("error") > 0) port.emit("error", error);
    port.destroy(error);
  }, DEVICE_CHECK_MS);
  check.unref();
  port.once("close", () => clearInterval(check));
}

/** Opens `path` as a raw byte stream; rejects with a message that says what to check. */
export function openSerialStream(path: string, baudRate: number): Promise<Duplex> {
  const notDevice = notDeviceProblem(path);
  if (notDevice !== undefined) return Promise.reject(new Error(`cannot open serial port ${notDevice}`));
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    // SerialPortStream has no _destroy of its own: destroy() would leave the port open and
    // locked, so a second open in this process fails. Make destroy() close it.
    port._destroy = (error, callback) => {
      if (port.isOpen) port.close(() => callback(error));
      else callback(error);
    };
    port.open((error) => {
      if (!error) {
        endWhenDeviceVanishes(port, path);
        return resolve(port);
      }
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
  if (/Inappropriate ioctl/i.test(message)) return "it is a device but not a serial port (it takes no baud rate): give the UART adapter's path";
  return message;
}
