// SSRF guard: the gateway reaches only public addresses, unless an admin
// allow-listed a private host or range (GATEWAY_ALLOWED_PRIVATE_TARGETS) or the target is
// Gatehouse's own echo backend. Checked twice: when a proxy is saved (a literal address, or a
// name that is plainly local) and when the upstream connection is made (every address a name
// resolves to — so DNS cannot smuggle 169.254.169.254 in later). Both use the same two
// judgements, so every spelling refused at connect is refused at save: nonPublicReason for an
// address (IPv4-mapped, -compatible and -translated IPv6 and NAT64 included) and localName for
// a name (trailing dots and case aside).
import dns from "node:dns";
import type { LookupAddress, LookupOptions } from "node:dns";
import ipaddr from "ipaddr.js";

export interface TargetPolicy {
  /** Lower-case host names, IP addresses and CIDR ranges from the configuration. */
  allowedPrivateTargets: readonly string[];
  /** Gatehouse's own port: http(s)://127.0.0.1:{port}/_echo is the built-in echo backend. */
  ownPort: number;
  /** Gatehouse serves HTTPS itself (TLS_CERT): the echo backend is reached over https. */
  ownTls: boolean;
}

export const ECHO_PATH = "/_echo";

export class TargetRefused extends Error {
  override name = "TargetRefused";
  readonly code = "GATEWAY_TARGET_REFUSED";
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

function parseAddress(host: string): Address | null {
  let bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  // ipaddr.js reads any IPv6 with a dotted tail as IPv4-mapped (::8.8.8.8 as ::ffff:8.8.8.8);
  // the URL parser spells it as the kernel reads it (::808:808, IPv4-compatible).
  if (bare.includes(":") && bare.includes(".") && URL.canParse(`http://[${bare}]/`)) bare = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.parse(bare);
  // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** Global unicast IPv6 (RFC 4291 §2.4): everything outside it — IPv4-compatible ::a.b.c.d,
 * IPv4-translated, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 — embeds or stands for something
 * that is not a public IPv6 host. */
const GLOBAL_UNICAST_V6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse("2000::"), 3];

/** Why an address is not a public target, or null. Only globally routable unicast addresses
 * are public; everything else ipaddr.js names (private, loopback, linkLocal, uniqueLocal,
 * carrierGradeNat, unspecified, reserved, multicast, rfc6052, 6to4, teredo, …) is not, nor is
 * IPv6 outside 2000::/3. IPv4-mapped IPv6 is judged as its IPv4 address (parseAddress). */
export function nonPublicReason(address: Address): string | null {
  const range = address.range();
  if (range !== "unicast") return range;
  if (address.kind() === "ipv6" && !(address as ipaddr.IPv6).match(...GLOBAL_UNICAST_V6)) return "non-global IPv6";
  return null;
}

export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address);
  return parsed !== null && nonPublicReason(parsed) === null;
}

/** A name, lower-case, without the trailing dots DNS ignores ("localhost." is "localhost"). */
function bareName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, "");
}

const LOCAL_NAMES = new Set(["localhost", "ip6-localhost", "ip6-loopback", "localdomain"]);
const LOCAL_SUFFIXES = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa"];

/** Names that are local by definition or by convention: RFC 6761 localhost, .local (mDNS),
 * .internal (cloud metadata), .localdomain and the hosts-file names, .home.arpa (RFC 8375). */
export function localName(host: string): boolean {
  const name = bareName(host);
  return LOCAL_NAMES.has(name) || LOCAL_SUFFIXES.some((suffix) => name.endsWith(suffix)) || name === "home.arpa";
}

function allowListed(policy: TargetPolicy, host: string, address: Address | null): boolean {
  for (const entry of policy.allowedPrivateTargets) {
    if (entry.includes("/")) {
      if (!address || !ipaddr.isValidCIDR(entry)) continue;
      const [range, bits] = ipaddr.parseCIDR(entry);
      if (range.kind() === address.kind() && address.match([range, bits] as never)) return true;
    } else if (address && ipaddr.isValid(entry.replace(/^\[|\]$/g, ""))) {
      const allowed = parseAddress(entry);
      if (allowed && allowed.kind() === address.kind() && allowed.toNormalizedString() === address.toNormalizedString()) return true;
    } else if (bareName(entry) === bareName(host)) {
      return true;
    }
  }
  return false;
}

/** The built-in echo backend: Gatehouse's own loopback port, path under /_echo. Either scheme:
 * a URL stored before TLS_CERT was set (or after it was removed) still names Gatehouse itself. */
export function isEchoTarget(url: URL, policy: TargetPolicy): boolean {
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return isEchoPath(url) && port === policy.ownPort;
}

/** An echo backend of a Gatehouse on this machine (its own, or another instance's on another
 * port): loopback, http(s), path under /_echo. The gateway sends these its echo key. */
export function isEchoPath(url: URL): boolean {
  const address = parseAddress(url.hostname);
  const loopback = url.hostname === "localhost" || (address !== null && address.range() === "loopback");
  const scheme = url.protocol === "http:" || url.protocol === "https:";
  return scheme && loopback && (url.pathname === ECHO_PATH || url.pathname.startsWith(`${ECHO_PATH}/`));
}

/** Where the echo backend is reached: the scheme Gatehouse serves now, whatever the stored URL says. */
export function echoOrigin(url: URL, policy: TargetPolicy): string {
  return `${policy.ownTls ? "https" : "http"}://${url.hostname}:${policy.ownPort}`;
}

/** Save-time and run-time check of a target URL's host. Returns why it is refused, or null.
 * Names are checked again, address by address, when the connection is made. */
export function refusedTarget(target: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(target); // WHATWG parsing turns 0x7f000001, 2130706433, 0177.0.0.1 into 127.0.0.1
  } catch {
    return "not a URL";
  }
  if (isEchoTarget(url, policy)) return null;
  const host = url.hostname.toLowerCase();
  const address = parseAddress(host);
  if (allowListed(policy, host, address)) return null;
  if (address) {
    const reason = nonPublicReason(address);
    return reason === null ? null : `${host} is a ${reason} address; allow it with GATEWAY_ALLOWED_PRIVATE_TARGETS`;
  }
  if (localName(host)) return `${host} is a local name; allow it with GATEWAY_ALLOWED_PRIVATE_TARGETS`;
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for net.connect (undici passes it through) that refuses private addresses. */
export function guardedLookup(policy: TargetPolicy, resolve: typeof dns.lookup = dns.lookup) {
  return function lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    if (localName(hostname) && !allowListed(policy, hostname, null)) {
      return callback(Object.assign(new TargetRefused(`${hostname} is a local name`), { errno: 0 }) as unknown as NodeJS.ErrnoException, "");
    }
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const list = addresses as LookupAddress[];
      if (!allowListed(policy, hostname, null)) {
        const bad = list.find((a) => !isPublicAddress(a.address) && !allowListed(policy, hostname, parseAddress(a.address)));
        // One private answer refuses the name: a name that resolves to both is a rebinding trick.
        if (bad) return callback(Object.assign(new TargetRefused(`${hostname} resolves to a non-public address`), { errno: 0 }) as unknown as NodeJS.ErrnoException, "");
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
      callback(null, first.address, first.family);
    });
  };
}
