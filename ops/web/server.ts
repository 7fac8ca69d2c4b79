/**
 * The daemon's live web view on 127.0.0.1: the page, its script and style, the fleet as JSON,
 * and a Server-Sent Events stream that pushes the fleet again on every change. Read-only by
 * construction: only GET and HEAD exist, nothing here writes to a controller, and a request
 * naming another host (DNS rebinding) is refused.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ControllerView } from "../daemon/controller-view.ts";
import { fleetSummary } from "./fleet.ts";
import { PAGE_HTML, PAGE_SCRIPT, PAGE_STYLE } from "./page.ts";

/** Event-stream clients at once; more get 503. */
const STREAM_CLIENTS_MAX = 32;
/** Unread bytes a viewer may leave queued before it is dropped (it stopped reading). */
const STREAM_BACKLOG_BYTES_MAX = 256 * 1024;
/**
 * The fleet goes out on every change and again this often, so the clocks (heartbeat age,
 * uptime), which do not count as changes, stay current; it also keeps the stream alive.
 */
const STREAM_REFRESH_MS = 2000;

export interface WebView {
  url: string;
  close(): Promise<void>;
}

export interface WebSource {
  views: () => ControllerView[];
  onChange: (listener: () => void) => void;
}

const HEADERS = {
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
};

function fleetJson(source: WebSource): string {
  const controllers = source.views();
  return JSON.stringify({ at: new Date().toISOString(), summary: fleetSummary(controllers), controllers });
}

function send(response: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  response.writeHead(status, { ...HEADERS, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  response.end(head ? undefined : body);
}

export async function startWebView(port: number, source: WebSource): Promise<WebView> {
  const streams = new Set<ServerResponse>();
  const push = (): void => {
    if (streams.size === 0) return;
    const event = `data: ${fleetJson(source)}\n\n`;
    for (const stream of streams) {
      if (stream.writableLength > STREAM_BACKLOG_BYTES_MAX) {
        streams.delete(stream);
        stream.destroy();
      } else stream.write(event);
    }
  };
  source.onChange(push);
  const refresh = setInterval(push, STREAM_REFRESH_MS);
  let actualPort = port;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const allowedHosts = [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`];
    if (!allowedHosts.includes(request.headers.host ?? "")) return send(response, 421, "text/plain", "this view answers on 127.0.0.1 only\n", false);
    const head = request.method === "HEAD";
    if (request.method !== "GET" && !head) {
      response.setHeader("Allow", "GET, HEAD");
      return send(response, 405, "text/plain", "read-only: this view has no actions; use guillotine ops on the command line\n", false);
    }
    switch ((request.url ?? "/").split("?")[0]) {
      case "/": return send(response, 200, "text/html; charset=utf-8", PAGE_HTML, head);
      case "/app.js": return send(response, 200, "text/javascript; charset=utf-8", PAGE_SCRIPT, head);
      case "/style.css": return send(response, 200, "text/css; charset=utf-8", PAGE_STYLE, head);
      case "/fleet.json": return send(response, 200, "application/json", fleetJson(source), head);
      case "/events": {
        if (head) return send(response, 200, "text/event-stream", "", true);
        if (streams.size >= STREAM_CLIENTS_MAX) return send(response, 503, "text/plain", "too many viewers; try again later\n", false);
        response.writeHead(200, { ...HEADERS, "Content-Type": "text/event-stream", Connection: "keep-alive" });
        response.write(`retry: 2000\ndata: ${fleetJson(source)}\n\n`);
        streams.add(response);
        request.on("close", () => streams.delete(response));
        return;
      }
      default: return send(response, 404, "text/plain", "not found\n", false);
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(new Error(error.code === "EADDRINUSE"
      ? `port ${port} on 127.0.0.1 is in use: pick another --web-port, or 0 for any` : `cannot serve the web view: ${error.message}`)));
    server.listen(port, "127.0.0.1", () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    close: () => new Promise((resolve) => {
      clearInterval(refresh);
      for (const stream of streams) stream.end();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
