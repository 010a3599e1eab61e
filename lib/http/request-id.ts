import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

const SAFE_ID = /^[\w.:-]{1,128}$/;

/** Keeps a well-formed inbound X-Request-Id (from a load balancer), otherwise makes one. */
export function requestIdOf(req: IncomingMessage): string {
  const inbound = req.headers["x-request-id"];
  return typeof inbound === "string" && SAFE_ID.test(inbound) ? inbound : randomUUID();
}
