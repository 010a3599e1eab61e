import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { canonicalCidr, canonicalCidrs, canonicalReferrerPattern, CredentialRestrictions, credentialRestrictions, RestrictionError } from "./credential-restrictions.ts";

const referrers = (...patterns: string[]) => new CredentialRestrictions(patterns.map(canonicalReferrerPattern), []);
const cidrs = (...ranges: string[]) => new CredentialRestrictions([], ranges.map(canonicalCidr));
const request = (headers: Record<string, string[]>) =>
  ({ rawHeaders: Object.entries(headers).flatMap(([name, values]) => values.flatMap((v) => [name, v])) }) as unknown as IncomingMessage;

describe("referrer patterns", () => {
  it("stores a canonical form: lower-case origin, default port dropped", () => {
    expect(canonicalReferrerPattern("HTTPS://App.Example.COM:443/Path/*")).toBe("https://app.example.com/Path/*");
    expect(canonicalReferrerPattern("https://*.example.com/*")).toBe("https://*.example.com/*");
    expect(canonicalReferrerPattern("http://localhost:3000/*")).toBe("http://localhost:3000/*");
  });

  it.each([
    "http://app.example.com/*", // http only for localhost
    "ftp://app.example.com/*",
    "https://app.example.com", // a path is required
    "https://user@app.example.com/*",
    "https://app.*.com/*",
    "https://*/*",
    "https://*.com/*",
    "https://app.example.com/a*/b",
    "https://app.example.com/../admin/*",
    "https://app.example.com/?q=1",
    "https://app.example.com:99999/*",
    "javascript:alert(1)//",
  ])("refuses %s", (pattern) => {
    expect(() => canonicalReferrerPattern(pattern)).toThrow(RestrictionError);
  });

  it("matches an exact origin and a path prefix, in Referer and Origin", () => {
    const r = referrers("https://app.example.com/console/*");
    expect(r.allowsReferrer("https://app.example.com/console/page?x=1", "referer")).toBe(true);
    expect(r.allowsReferrer("https://APP.example.COM:443/console/", "referer")).toBe(true);
    expect(r.allowsReferrer("https://app.example.com/other", "referer")).toBe(false);
    expect(r.allowsReferrer("https://app.example.com", "origin")).toBe(true);
    expect(r.allowsReferrer("https://app.example.com:8443", "origin")).toBe(false);
    expect(r.allowsReferrer("http://app.example.com", "origin")).toBe(false);
  });

  it("refuses the attacker spellings", () => {
    const r = referrers("https://app.example.com/*");
    for (const evil of [
      "https://app.example.com.evil.com/",
      "https://app.example.com@evil.com/",
      "https://app.example.com:x@evil.com/",
      "https://evil.com/https://app.example.com/",
      "https://evil.com/?https://app.example.com/",
      "https://app.example.com%2eevil.com/",
      "https://evilapp.example.com/",
      "null",
      "",
      "app.example.com",
    ])
      expect(r.allowsReferrer(evil, "referer"), evil).toBe(false);
    expect(r.allowsReferrer("https://app.example.com.evil.com", "origin")).toBe(false);
    expect(r.allowsReferrer("https://app.example.com/path", "origin")).toBe(false); // an Origin has no path
  });

  it("compares paths after dot segments are resolved, and percent-encoding as sent", () => {
    const r = referrers("https://app.example.com/public/*");
    expect(r.allowsReferrer("https://app.example.com/public/../admin/", "referer")).toBe(false);
    expect(r.allowsReferrer("https://app.example.com/%70ublic/", "referer")).toBe(false);
    expect(r.allowsReferrer("https://app.example.com/Public/", "referer")).toBe(false);
  });

  it("a wildcard host matches subdomains only", () => {
    const r = referrers("https://*.example.com/*");
    expect(r.allowsReferrer("https://a.example.com/x", "referer")).toBe(true);
    expect(r.allowsReferrer("https://a.b.example.com/x", "referer")).toBe(true);
    expect(r.allowsReferrer("https://example.com/x", "referer")).toBe(false);
    expect(r.allowsReferrer("https://evilexample.com/x", "referer")).toBe(false);
    expect(r.allowsReferrer("https://a.example.com.evil.com/x", "referer")).toBe(false);
  });

  it("a request needs exactly one Origin, or else one Referer, that matches", () => {
    const r = referrers("https://app.example.com/*");
    expect(r.refusal(request({ origin: ["https://app.example.com"] }), "203.0.113.1")).toBeNull();
    expect(r.refusal(request({ Origin: ["https://app.example.com"] }), "203.0.113.1")).toBeNull();
    expect(r.refusal(request({ referer: ["https://app.example.com/x"] }), "203.0.113.1")).toBeNull();
    expect(r.refusal(request({}), "203.0.113.1")?.kind).toBe("referrer");
    // Origin decides when both are present
    expect(r.refusal(request({ origin: ["https://evil.com"], referer: ["https://app.example.com/x"] }), "203.0.113.1")?.kind).toBe("referrer");
    expect(r.refusal(request({ referer: ["https://app.example.com/x", "https://evil.com/"] }), "203.0.113.1")?.kind).toBe("referrer");
    expect(r.refusal(request({ referer: ["https://evil.com/", "https://app.example.com/x"] }), "203.0.113.1")?.kind).toBe("referrer");
  });
});

describe("CIDR ranges", () => {
  it("canonicalises IPv4 and IPv6 ranges and single addresses", () => {
    expect(canonicalCidr("10.0.0.0/8")).toBe("10.0.0.0/8");
    expect(canonicalCidr("203.0.113.7")).toBe("203.0.113.7/32");
    expect(canonicalCidr("2001:DB8:0:0::/32")).toBe("2001:db8::/32");
    expect(canonicalCidr("::1")).toBe("::1/128");
    expect(canonicalCidrs(["10.0.0.0/8", " ", "10.0.0.0/8"])).toEqual(["10.0.0.0/8"]);
  });

  it.each([
    "10.0.0.1/8",
    "10.0.0.0/33",
    "10.0.0.0/-1",
    "10.0.0.0/08",
    "10.0.0/8",
    "010.0.0.0/8",
    "::ffff:10.0.0.0/104",
    "2001:db8::/129",
    "example.com",
    "10.0.0.0/",
    "10.0.0.0/8/8",
    "fe80::1%eth0/64",
  ])("refuses %s", (range) => {
    expect(() => canonicalCidr(range)).toThrow(RestrictionError);
  });

  it("matches addresses, IPv4-mapped IPv6 included", () => {
    const r = cidrs("10.0.0.0/8", "2001:db8::/32");
    expect(r.allowsAddress("10.1.2.3")).toBe(true);
    expect(r.allowsAddress("::ffff:10.1.2.3")).toBe(true);
    expect(r.allowsAddress("11.0.0.1")).toBe(false);
    expect(r.allowsAddress("::ffff:11.0.0.1")).toBe(false);
    expect(r.allowsAddress("2001:db8:1::5")).toBe(true);
    expect(r.allowsAddress("2001:db9::5")).toBe(false);
    expect(r.allowsAddress("")).toBe(false);
    expect(r.allowsAddress("not-an-address")).toBe(false);
  });

  it("an empty list allows every address; a stored value that no longer parses allows none", () => {
    expect(credentialRestrictions("[]", "[]").allowsAddress("198.51.100.1")).toBe(true);
    expect(credentialRestrictions("[]", '["garbage"]').allowsAddress("198.51.100.1")).toBe(false);
    expect(credentialRestrictions('["garbage"]', "[]").allowsReferrer("https://app.example.com/", "referer")).toBe(false);
  });
});
