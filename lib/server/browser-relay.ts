// Relays browser-lane requests to Next.js's private Unix socket (lib/server/browser-lane.ts):
// from the main thread when the machine lane runs there, or from each machine-lane worker
// process (lib/server/machine-workers.ts) — the socket is the primary's, in a 0700 directory.
// While Next.js is not answering (starting, restarting) a page gets a plain 503.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { hopByHopFree } from "../http/hop-by-hop.ts";

export interface BrowserRelay {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** WebSocket upgrades (Next's hot reload in development). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function browserRelay(socketPath: string, log: Logger): BrowserRelay {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    handle(req, res) {
      const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers: hopByHopFree(req.headers) });
      upstream.on("response", (answer) => {
        const headers = hopByHopFree(answer.headers);
        // Next.js answered before the request's body was all here (a 413, a refusal): the rest
        // will not be read, so this connection cannot carry another request — the caller is told
        // (Connection: close) rather than left to reuse a socket about to be cut.
        if (!req.complete) headers.connection = "close";
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
        answer.once("error", () => res.destroy());
      });
      upstream.once("error", (error) => {
        if (res.writableFinished) return; // the answer went out whole; only the unread body's relay broke
        if (res.headersSent) return void res.destroy();
        const code = (error as NodeJS.ErrnoException).code;
        // ENOENT / ECONNREFUSED: Next.js is starting or restarting — expected, not worth a warning
        if (code !== "ENOENT" && code !== "ECONNREFUSED") log.warn({ err: error }, "browser lane did not answer");
        portalUnavailable(res);
      });
      res.once("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    },
    upgrade(req, socket, head) {
      const inner = net.connect(socketPath, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        inner.write(lines.join("\r\n") + "\r\n\r\n");
        if (head.length) inner.write(head);
        socket.pipe(inner).pipe(socket);
      });
      inner.once("error", () => socket.destroy());
      socket.once("error", () => inner.destroy());
    },
    close: () => agent.destroy(),
  };
}

function portalUnavailable(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = "The portal is restarting. Try again in a moment.\n";
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "2", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
