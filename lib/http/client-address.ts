// The caller's address. The TCP peer, unless that peer is a proxy the operator trusts
// (TRUSTED_PROXIES: the load balancers' addresses or ranges): then X-Forwarded-For is read from
// the right, skipping trusted hops, and the first address not trusted is the client's — the
// entries left of it were written by whoever called, and prove nothing. Quota and spike arrest
// per address, bot detection, the sign-up limit and analytics all use it. /metrics' loopback
// rule does not: it is about who holds the socket.
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export class TrustedProxies {
  private readonly ranges: Range[];

  constructor(entries: readonly string[]) {
    this.ranges = entries.map((entry) => (entry.includes("/") ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), entry.includes(":") ? 128 : 32] as Range)));
  }

  get empty(): boolean {
    return this.ranges.length === 0;
  }

  trusts(address: string): boolean {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.process(address); // ::ffff:10.0.0.1 → 10.0.0.1
    } catch {
      return false;
    }
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}

/** Whether each entry of TRUSTED_PROXIES parses (configuration validation). */
export function isAddressOrRange(entry: string): boolean {
  return entry.includes("/") ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry);
}

const known = new WeakMap<IncomingMessage, string>();

export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  if (trusted.empty) return req.socket.remoteAddress ?? ""; // the default: nothing to read or remember
  const cached = known.get(req);
  if (cached !== undefined) return cached;
  let address = req.socket.remoteAddress ?? "";
  if (trusted.trusts(address)) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    while (hops.length) {
      address = hops.pop()!;
      if (!trusted.trusts(address)) break;
    }
  }
  known.set(req, address);
  return address;
}
