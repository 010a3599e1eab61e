// The gateway's entry in the machine lane: /gateway/{proxy base path}/{version}/… → the policy
// pipeline (pipeline.ts). server.ts creates the gateway and mounts this table.
import type { MachineRoute } from "../http/types.ts";
import type { Gateway } from "./gateway.ts";

export const GATEWAY_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function gatewayRoutes(gateway: Pick<Gateway, "handler">): Record<string, MachineRoute> {
  return { "/gateway/**": { methods: GATEWAY_METHODS, handler: gateway.handler, sendsRequestId: true } };
}
