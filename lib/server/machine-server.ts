// The machine lane's node:http(s) server, and what it answers before the lane behind it is
// built: a worker process listens first (a few light modules) and answers /healthz — it is
// alive — while /readyz and every other request get 503 "starting" with Retry-After, until
// startMachineLane takes the server over. Load balancers keep traffic away on /readyz; a
// client that arrives anyway is told when to come back instead of being refused.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Config } from "../config/index.ts";
import { sendJson, sendProblem } from "../http/responses.ts";

export const MACHINE_SERVER_TIMEOUTS = {
  headersTimeout: 10_000, // slow header senders (slowloris) are dropped
  requestTimeout: 60_000,
  keepAliveTimeout: 5_000,
  // node counts the request line in this limit: 24 KiB lets a 16 KiB URI reach the lanes'
  // 414 while 32 KiB of headers still get node's 431.
  maxHeaderSize: 24 * 1024,
  // Node checks headersTimeout/requestTimeout on this period (default 30 s, which would let
  // slow header senders stay three times longer than the timeout says)
  connectionsCheckingInterval: 1_000,
};

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** HTTPS when TLS_CERT/TLS_KEY are set; with TLS_CLIENT_CA a client certificate is asked for
 * but optional at the handshake: endpoints decide (tls_client_auth, certificate-bound tokens)
 * through lib/http/tls.ts, and a browser without one still gets the portal. */
export function createMachineServer(config: Config): http.Server {
  return config.tls
    ? https.createServer({
        ...MACHINE_SERVER_TIMEOUTS,
        cert: config.tls.cert,
        key: config.tls.key,
        ...(config.tls.clientCa ? { ca: config.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
      })
    : http.createServer(MACHINE_SERVER_TIMEOUTS);
}

/** What the server answers until the lane is built. */
export function startingListener(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) return sendJson(res, 200, { status: "ok" });
  res.setHeader("retry-after", "1");
  if (path === "/readyz") return sendJson(res, 503, { status: "starting", checks: {} });
  sendProblem(res, 503, "Starting", "Gatehouse is starting; try again in a moment.");
}

/** Answers with `listener` until the returned swap replaces it. */
export function swappableListener(server: http.Server, listener: RequestListener): (next: RequestListener) => void {
  let current = listener;
  server.on("request", (req, res) => current(req, res));
  return (next) => (current = next);
}

/** Listens on the configured port. */
export function listenOnPort(server: http.Server, config: Config): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
}

/** Listens on the configured port, `listener` answering until replaced; returns the swap. */
export async function listenMachineServer(server: http.Server, config: Config, listener: RequestListener): Promise<(next: RequestListener) => void> {
  const serve = swappableListener(server, listener);
  await listenOnPort(server, config);
  return serve;
}
