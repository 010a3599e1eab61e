// GET /metrics (machine lane), Prometheus text format. Secure by default: with METRICS_TOKEN
// set, only `Authorization: Bearer <METRICS_TOKEN>` is answered (from anywhere); without it,
// only clients on the loopback interface (a scraper or sidecar on the same host) are.
// The peer address is the socket's: no forwarded header is trusted for this decision.
import type { IncomingMessage } from "node:http";
import { sendProblem } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";
import { sameSecret } from "../security/secrets.ts";
import { renderMetrics } from "./index.ts";

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/** Whether `req` may read the metrics: see the file comment. */
export function metricsAllowed(req: IncomingMessage, token: string | null): "ok" | "unauthorized" | "forbidden" {
  if (token === null) return isLoopback(req.socket.remoteAddress) ? "ok" : "forbidden";
  const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match && sameSecret(match[1]!, token) ? "ok" : "unauthorized";
}

export function metricsRoutes(options: { token: string | null }): Record<string, MachineRoute> {
  return {
    "/metrics": {
      methods: ["GET"],
      handler: async (req, res) => {
        const verdict = metricsAllowed(req, options.token);
        if (verdict === "unauthorized")
          return sendProblem(res, 401, "Unauthorized", "A bearer token (METRICS_TOKEN) is required.", { "www-authenticate": 'Bearer realm="metrics"' });
        if (verdict === "forbidden") return sendProblem(res, 403, "Forbidden", "Metrics are served to loopback clients only unless METRICS_TOKEN is set.");
        const { contentType, body } = await renderMetrics();
        res.writeHead(200, { "content-type": contentType, "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
        res.end(req.method === "HEAD" ? undefined : body);
      },
    },
  };
}
