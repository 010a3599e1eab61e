// clientAddress() with the process's TRUSTED_PROXIES, for the lanes, the gateway and the token
// endpoint.
import type { IncomingMessage } from "node:http";
import { getConfig } from "../config/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { TrustedProxies, clientAddress } from "./client-address.ts";

const trustedProxies = () => sharedInstance("trusted-proxies", () => new TrustedProxies(getConfig().trustedProxies));

export function callerAddress(req: IncomingMessage): string {
  return clientAddress(req, trustedProxies());
}

/** The TCP peer is one of TRUSTED_PROXIES: its forwarding headers may be believed. */
export function fromTrustedProxy(req: IncomingMessage): boolean {
  const trusted = trustedProxies();
  return !trusted.empty && trusted.trusts(req.socket.remoteAddress ?? "");
}
