// clientAddress() with the process's TRUSTED_PROXIES, for the lanes, the gateway and the token
// endpoint.
import type { IncomingMessage } from "node:http";
import { getConfig } from "../config/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { TrustedProxies, clientAddress } from "./client-address.ts";

export function callerAddress(req: IncomingMessage): string {
  return clientAddress(req, sharedInstance("trusted-proxies", () => new TrustedProxies(getConfig().trustedProxies)));
}
