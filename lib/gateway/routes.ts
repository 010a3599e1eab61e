// The gateway's entry: /gateway/{proxy base path}/... Issue #6 adds proxies and the policy
// pipeline; with no proxy configured every path is, correctly, unknown.
import { sendProblem } from "../http/responses.ts";
import type { MachineRoute } from "../http/types.ts";

export const GATEWAY_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const gatewayRoutes: Record<string, MachineRoute> = {
  "/gateway/**": {
    methods: GATEWAY_METHODS,
    handler: (_req, res, ctx) => sendProblem(res, 404, "No API proxy matches this path", `No API proxy serves ${ctx.pathname}.`),
  },
};
