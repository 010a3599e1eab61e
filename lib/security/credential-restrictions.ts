// Restrictions a developer puts on one credential: the browser pages (referrer patterns) and
// the source address ranges (CIDR) it may be used from. Parsed strictly when stored, compiled
// once per cached client, and checked at the token endpoint and the gateway.
//
// A referrer pattern is scheme://host[:port]/path with `*` allowed only as the whole first host
// label (`https://*.example.com/…`: any subdomain, not the apex) and at the very end of the path
// (a prefix). https only, except http://localhost for development. Request values are parsed
// with the WHATWG URL parser, so case, default ports, dot segments and percent-encoded hosts are
// normalised before comparing, and a URL with userinfo (`https://app.example.com@evil.com/`) is
// refused outright. A percent-encoded path is compared as sent: it never matches a plain pattern.
//
// Referrer checks only stop other web pages from using a key in a browser: any non-browser client
// can send whatever Origin or Referer it likes. Address ranges are the control for servers.
import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import { readStringList } from "../db/json-columns.ts";

export const MAX_RESTRICTIONS = 50;

export class RestrictionError extends Error {}

// scheme, host (optionally `*.` first), optional port, path (optionally ending with `*`)
const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)(?::(\d{1,5}))?(\/[A-Za-z0-9\-._~!$&'()+,;=:@/%]*)(\*)?$/;

const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

interface ReferrerPattern {
  scheme: "http" | "https";
  wildcardHost: boolean;
  /** The host (without the `*.` of a wildcard), lower case. */
  host: string;
  /** "" for the scheme's default port, as URL.port gives it. */
  port: string;
  path: string;
  pathPrefix: boolean;
}

/** Parses one referrer pattern, or throws RestrictionError saying what is wrong with it. */
export function parseReferrerPattern(input: string): ReferrerPattern {
  const value = input.trim();
  const match = PATTERN.exec(value.replace(/^[A-Za-z]+:\/\/[^/]*/, (origin) => origin.toLowerCase()));
  if (!match) throw new RestrictionError(`"${value}" is not a referrer pattern like https://app.example.com/* or https://*.example.com/*.`);
  const [, scheme, star, host, port, path, pathStar] = match as unknown as [string, "http" | "https", string | undefined, string, string | undefined, string, string | undefined];
  if (scheme === "http" && host !== "localhost") throw new RestrictionError(`"${value}": only https pages may be allowed (http only for localhost).`);
  if (star && host.split(".").length < 2) throw new RestrictionError(`"${value}": a wildcard needs a domain under it (https://*.example.com/*).`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new RestrictionError(`"${value}": the port is out of range.`);
  // the path must already be in the form the URL parser gives a request's path
  if (new URL(path, "https://x.invalid").pathname !== path) throw new RestrictionError(`"${value}": the path must not contain dot segments.`);
  return {
    scheme,
    wildcardHost: Boolean(star),
    host,
    port: port === undefined || port === DEFAULT_PORT[scheme] ? "" : String(Number(port)),
    path,
    pathPrefix: Boolean(pathStar),
  };
}

/** The pattern as stored: lower-case origin, default port dropped. */
export function canonicalReferrerPattern(input: string): string {
  const p = parseReferrerPattern(input);
  return `${p.scheme}://${p.wildcardHost ? "*." : ""}${p.host}${p.port ? `:${p.port}` : ""}${p.path}${p.pathPrefix ? "*" : ""}`;
}

/** Parses one CIDR range (or a single address) and returns it canonical, or throws RestrictionError. */
export function canonicalCidr(input: string): string {
  const value = input.trim();
  const slash = value.indexOf("/");
  const address = slash < 0 ? value : value.slice(0, slash);
  const bitsText = slash < 0 ? null : value.slice(slash + 1);
  const family = isIP(address);
  if (!family) throw new RestrictionError(`"${value}" is not an IPv4 or IPv6 address or range (203.0.113.0/24, 2001:db8::/32).`);
  const max = family === 4 ? 32 : 128;
  if (bitsText !== null && !/^(0|[1-9]\d{0,2})$/.test(bitsText)) throw new RestrictionError(`"${value}": the prefix length must be a number from 0 to ${max}.`);
  const bits = bitsText === null ? max : Number(bitsText);
  if (bits > max) throw new RestrictionError(`"${value}": the prefix length must be a number from 0 to ${max}.`);
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    throw new RestrictionError(`"${value}": write IPv4 ranges in dotted form (10.0.0.0/8), not IPv4-mapped IPv6.`);
  const network = family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`);
  if (network.toString() !== parsed.toString())
    throw new RestrictionError(`"${value}": the address has bits set beyond the prefix; the range starts at ${network.toString()}/${bits}.`);
  return `${network.toString()}/${bits}`;
}

function canonicalList(values: readonly unknown[], each: (value: string) => string, what: string): string[] {
  if (values.length > MAX_RESTRICTIONS) throw new RestrictionError(`At most ${MAX_RESTRICTIONS} ${what} per credential.`);
  const out: string[] = [];
  for (const value of values) {
    if (typeof value !== "string" || value.length > 300) throw new RestrictionError(`Each of the ${what} must be a string of at most 300 characters.`);
    if (!value.trim()) continue;
    const canonical = each(value);
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

export const canonicalReferrerPatterns = (values: readonly unknown[]) => canonicalList(values, canonicalReferrerPattern, "referrer patterns");
export const canonicalCidrs = (values: readonly unknown[]) => canonicalList(values, canonicalCidr, "address ranges");

/** Why a request may not use the credential, or null when it may. */
export type RestrictionRefusal = { kind: "address"; description: string } | { kind: "referrer"; description: string };

/** One credential's restrictions, compiled for checking requests. */
export class CredentialRestrictions {
  private readonly patterns: ReferrerPattern[];
  private readonly blocks: BlockList | null;

  constructor(
    readonly referrers: readonly string[],
    readonly cidrs: readonly string[],
  ) {
    // stored values were validated on the way in; one that no longer parses allows nothing
    this.patterns = referrers.flatMap((r) => {
      try {
        return [parseReferrerPattern(r)];
      } catch {
        return [];
      }
    });
    if (cidrs.length) {
      this.blocks = new BlockList();
      for (const cidr of cidrs) {
        const [address, bits] = cidr.split("/");
        if (address && isIP(address)) this.blocks.addSubnet(address, Number(bits), isIP(address) === 4 ? "ipv4" : "ipv6");
      }
    } else this.blocks = null;
  }

  get empty(): boolean {
    return this.referrers.length === 0 && this.cidrs.length === 0;
  }

  /** Whether a caller at this address may use the credential (always, when no ranges are set). */
  allowsAddress(address: string): boolean {
    if (!this.blocks) return true;
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.process(address); // ::ffff:10.0.0.1 is 10.0.0.1
    } catch {
      return false;
    }
    return this.blocks.check(parsed.toString(), parsed.kind());
  }

  /** Whether a page at this Origin (scheme://host[:port]) or Referer (a full URL) may use the credential. */
  allowsReferrer(value: string, kind: "origin" | "referer"): boolean {
    if (this.referrers.length === 0) return true;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    if (kind === "origin" && (url.pathname !== "/" || url.search || url.hash || value.endsWith("/"))) return false; // an Origin is just an origin
    const scheme = url.protocol.slice(0, -1);
    return this.patterns.some((p) => {
      if (p.scheme !== scheme || p.port !== url.port) return false;
      if (p.wildcardHost ? !url.hostname.endsWith(`.${p.host}`) : url.hostname !== p.host) return false;
      if (kind === "origin") return true; // an Origin carries no path: the origin decides
      return p.pathPrefix ? url.pathname.startsWith(p.path) : url.pathname === p.path;
    });
  }

  /** Checks a request: its caller address (resolved through the trusted proxies by the caller of
   * this method) and, when referrers are set, its one Origin or else its one Referer header. */
  refusal(req: IncomingMessage, address: string): RestrictionRefusal | null {
    if (!this.allowsAddress(address)) return { kind: "address", description: "This credential may not be used from this address." };
    if (this.referrers.length === 0) return null;
    const origin = headerValues(req, "origin");
    const referer = headerValues(req, "referer");
    // two Origin or Referer headers: no browser sends them, so nothing decides which one counts
    if (origin.length > 1 || referer.length > 1) return { kind: "referrer", description: "The request carries more than one Origin or Referer header." };
    const allowed = origin[0] !== undefined ? this.allowsReferrer(origin[0], "origin") : referer[0] !== undefined ? this.allowsReferrer(referer[0], "referer") : false;
    return allowed ? null : { kind: "referrer", description: "This credential may not be used from this web page (Origin or Referer)." };
  }
}

/** Every value of one header as sent (node joins or drops repeats in `headers`). */
function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) values.push(raw[i + 1]!);
  return values;
}

export const UNRESTRICTED = new CredentialRestrictions([], []);

/** Restrictions from a credential's JSON columns. */
export function credentialRestrictions(allowedReferrers: string, allowedCidrs: string): CredentialRestrictions {
  const referrers = readStringList(allowedReferrers);
  const cidrs = readStringList(allowedCidrs);
  return referrers.length || cidrs.length ? new CredentialRestrictions(referrers, cidrs) : UNRESTRICTED;
}
