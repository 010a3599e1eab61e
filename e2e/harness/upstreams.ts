// Real upstream servers for the gateway tests, on 127.0.0.2 (allow-listed for the test server
// with GATEWAY_ALLOWED_PRIVATE_TARGETS; 127.0.0.1 stays refused). One node:http server whose
// path picks the behaviour, a raw TCP server that answers garbage, and a closed port.
import http from "node:http";
import net from "node:net";

export const BACKEND_HOST = "127.0.0.2";

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

export interface TestBackends {
  url: string;
  malformedUrl: string;
  closedUrl: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, BACKEND_HOST, () => resolve((server.address() as net.AddressInfo).port)));

export async function startBackends(): Promise<TestBackends> {
  const seen: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer(async (req, res): Promise<void> => {
    let bodyBytes = 0;
    const path = (req.url ?? "/").split("?")[0]!;
    // a request whose body is cut off still counts as seen (what reached the backend matters)
    const record = () => seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bodyBytes });
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) bodyBytes += chunk.length;
    } catch {
      record();
      return;
    }
    record();
    if (path.endsWith("/redirect")) {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
      return;
    }
    if (path.endsWith("/big")) {
      const body = Buffer.alloc(3 * 1024 * 1024, 97);
      res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
      res.end(body);
      return;
    }
    if (path.endsWith("/big-chunked")) {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, 98);
      let sent = 0;
      const more = () => {
        while (sent < 3 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", more);
            return;
          }
        }
        res.end();
      };
      res.on("error", () => {});
      more();
      return;
    }
    if (path.endsWith("/never")) return; // never answers
    if (path.endsWith("/slow")) {
      const timer = setTimeout(() => res.end(JSON.stringify({ slow: true })), 800);
      timers.add(timer);
      return;
    }
    if (path.endsWith("/drip")) {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 200);
      timers.add(timer);
      res.on("close", () => clearInterval(timer));
      return;
    }
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bodyBytes });
    res.writeHead(200, { "content-type": "application/json", "x-backend": "yes", connection: "keep-alive, x-secret-hop", "x-secret-hop": "1", "keep-alive": "timeout=99" });
    res.end(body);
  });
  const port = await listen(server);

  const malformed = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => socket.end("HTTP/1.1 abc nonsense\r\nthis is not http\r\n\r\n"));
  });
  const malformedPort = await listen(malformed);

  const probe = net.createServer();
  const closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));

  return {
    url: `http://${BACKEND_HOST}:${port}`,
    malformedUrl: `http://${BACKEND_HOST}:${malformedPort}`,
    closedUrl: `http://${BACKEND_HOST}:${closedPort}`,
    seen,
    async close() {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      malformed.close();
      await new Promise((r) => server.close(r));
    },
  };
}
