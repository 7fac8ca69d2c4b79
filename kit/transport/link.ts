/**
 * The one thing the agent and the operator tools talk through: a line link to a controller.
 * Each transport (serial.ts, tcp.ts) builds one; callers never see ports or sockets.
 * Like serialport's bindings-interface, this file is contract only.
 */
export interface Link {
  /**
   * Queues `text` plus LF for sending. Returns false, sending nothing, once the link is
   * closed. Never throws: a failing port shows up as a close.
   */
  writeLine(text: string): boolean;
  /**
   * Registers a handler for each complete line received, without LF or the CR before it.
   * Lines over the protocol cap or holding non-printable bytes are dropped, not delivered.
   */
  onLine(handler: (text: string) => void): void;
  /**
   * Registers a handler for the end of the link (peer vanished, port error, or close()).
   * Each handler runs exactly once, even when registered after the end.
   */
  onClose(handler: (reason: Error | undefined) => void): void;
  /** Closes the link; resolves once the port or socket is released. Safe to repeat. */
  close(): Promise<void>;
}
