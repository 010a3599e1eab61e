import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { TrustedProxies, clientAddress, isAddressOrRange } from "./client-address.ts";

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } }) as unknown as IncomingMessage;

describe("clientAddress", () => {
  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), new TrustedProxies([]))).toBe("203.0.113.9");
  });

  it("reads X-Forwarded-For from the right through trusted hops only", () => {
    const trusted = new TrustedProxies(["10.0.0.0/8", "192.0.2.7"]);
    expect(clientAddress(request("10.1.2.3", "198.51.100.1"), trusted)).toBe("198.51.100.1");
    // a forged left-most entry is not believed: the first untrusted hop from the right wins
    expect(clientAddress(request("10.1.2.3", "1.2.3.4, 198.51.100.1, 192.0.2.7"), trusted)).toBe("198.51.100.1");
    // IPv4-mapped peers count as their IPv4 address
    expect(clientAddress(request("::ffff:10.9.9.9", "198.51.100.2"), trusted)).toBe("198.51.100.2");
  });

  it("ignores X-Forwarded-For from an untrusted peer, and falls back to the peer without one", () => {
    const trusted = new TrustedProxies(["10.0.0.0/8"]);
    expect(clientAddress(request("203.0.113.9", "198.51.100.1"), trusted)).toBe("203.0.113.9");
    expect(clientAddress(request("10.0.0.1"), trusted)).toBe("10.0.0.1");
  });

  it("validates configuration entries", () => {
    expect(["10.0.0.0/8", "192.0.2.7", "::1", "fd00::/8"].every(isAddressOrRange)).toBe(true);
    expect(["10.0.0.0/33", "lb.internal", ""].some(isAddressOrRange)).toBe(false);
  });
});
