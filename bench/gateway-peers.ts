// The other processes of bench/gateway.ts, one per mode, each printing its port on stdout:
//   backend — a tiny JSON backend (node:http)
//   undici  — the bare minimum proxy: node:http + one undici Pool, no checks at all
//   fastify — fastify + @fastify/http-proxy, doing nothing but proxying
//   http-proxy — node:http + http-proxy (node-http-proxy) with a keep-alive agent; not a
//             dependency of Gatehouse: loaded from PEERS_DIR (see bench/peers.ts)
// Usage: tsx bench/gateway-peers.ts <mode> [upstream]
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Pool } from "undici";

const [mode, upstream] = process.argv.slice(2);
process.on("SIGINT", () => process.exit(0)); // a clean exit: `node --cpu-prof` writes its profile then
const announce = (server: { address(): AddressInfo | string | null }) => console.log(String((server.address() as AddressInfo).port));

if (mode === "backend") {
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => announce(server));
} else if (mode === "undici") {
  const pool = new Pool(upstream!, { connections: 256, keepAliveTimeout: 4_000 });
  const server = http.createServer(async (req, res) => {
    try {
      const r = await pool.request({ path: req.url!.replace(/^\/gateway\/bench\/v1/, ""), method: req.method as "GET", headers: { accept: req.headers.accept ?? "*/*" } });
      res.writeHead(r.statusCode, r.headers as http.OutgoingHttpHeaders);
      r.body.pipe(res);
    } catch {
      res.writeHead(502).end();
    }
  });
  server.listen(0, "127.0.0.1", () => announce(server));
} else if (mode === "fastify") {
  const { default: Fastify } = await import("fastify");
  const { default: proxy } = await import("@fastify/http-proxy");
  const app = Fastify({ logger: false });
  await app.register(proxy, { upstream: upstream!, prefix: "/gateway/bench/v1" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  announce(app.server);
} else if (mode === "http-proxy") {
  const require = createRequire(join(process.env.PEERS_DIR ?? "/work/bench-peers", "package.json"));
  const httpProxy = require("http-proxy") as typeof import("node:http") & { createProxyServer(options: object): { web(...args: unknown[]): void } };
  const proxy = httpProxy.createProxyServer({ target: upstream, agent: new http.Agent({ keepAlive: true, maxSockets: 256 }) });
  const server = http.createServer((req, res) => {
    req.url = req.url!.replace(/^\/gateway\/bench\/v1/, "");
    proxy.web(req, res, {}, () => res.writeHead(502).end());
  });
  server.listen(0, "127.0.0.1", () => announce(server));
} else {
  console.error("usage: gateway-peers.ts backend|undici|fastify|http-proxy [upstream]");
  process.exit(2);
}
