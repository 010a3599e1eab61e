// /healthz: the process is alive. /readyz: it can serve (database and store reachable, not
// shutting down) — load balancers stop sending traffic when it answers 503.
import { sendJson } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";
import { checkReadiness, type ReadinessCheck } from "./readiness.ts";

export function healthRoutes(checks: ReadinessCheck[], isShuttingDown: () => boolean): Record<string, MachineRoute> {
  return {
    "/healthz": {
      methods: ["GET"],
      handler: (_req, res) => sendJson(res, 200, { status: "ok" }),
    },
    "/readyz": {
      methods: ["GET"],
      handler: async (_req, res, ctx) => {
        if (isShuttingDown()) return sendJson(res, 503, { status: "shutting_down", checks: {} });
        const report = await checkReadiness(checks, ctx.log);
        sendJson(res, report.ready ? 200 : 503, { status: report.ready ? "ok" : "unavailable", checks: report.checks });
      },
    },
  };
}
