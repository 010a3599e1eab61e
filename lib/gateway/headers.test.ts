import { describe, expect, it } from "vitest";
import { forwardingHeaders, inboundHeaderVerdict, upstreamRequestHeaders } from "./headers.ts";

const IDENTITY = ["x-gatehouse-user", "x-gatehouse-app-id", "x-gatehouse-scopes", "x-gatehouse-id-token", "x-gatehouse-bot", "x-request-id"];
const FORWARDING = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "x-real-ip",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
  "x-envoy-external-address",
];
const OVERRIDES = ["x-http-method-override", "x-http-method", "x-method-override", "x-original-url", "x-rewrite-url"];

/** Spellings a CGI-style server (HTTP_X_GATEHOUSE_USER) reads as the same header. */
const lookAlikes = (name: string) => [name.replace(/-/g, "_"), name.replace(/-/g, "."), name.replace("-", "_"), name.toUpperCase().replace(/-/g, "_").toLowerCase()];

describe("inbound headers the backend trusts", () => {
  it("drops the gateway's own headers and their look-alikes", () => {
    for (const name of IDENTITY) {
      for (const spelling of [name, ...lookAlikes(name)]) expect(inboundHeaderVerdict(spelling), spelling).toBe("drop");
    }
  });

  it("lets only trusted proxies supply forwarding headers; their look-alikes never", () => {
    for (const name of FORWARDING) {
      expect(inboundHeaderVerdict(name), name).toBe("trusted-only");
      for (const spelling of lookAlikes(name).filter((s) => s !== name)) expect(inboundHeaderVerdict(spelling), spelling).toBe("drop");
    }
  });

  it("passes trace context, in every format, only from a trusted proxy", () => {
    const incoming = {
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "lb=1",
      baggage: "user=alice",
      b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
      "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
      "x-b3-sampled": "1",
      "x-b3-flags": "1",
      "uber-trace-id": "5e9d:5e9d:0:1",
      "uberctx-user": "alice",
      "x-client-trace-id": "forced",
      "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
      "x-cloud-trace-context": "105445aa7843bc8bf206b12000100000/1;o=1",
      "x-datadog-trace-id": "1",
      "x-datadog-sampling-priority": "2",
      sw8: "1-x",
      "elastic-apm-traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "grpc-trace-bin": "AAA",
      "ot-tracer-traceid": "1",
      accept: "*/*",
    };
    expect(upstreamRequestHeaders(incoming, false)).toEqual({ accept: "*/*" });
    expect(upstreamRequestHeaders(incoming, true)).toEqual(incoming);
  });

  it("always drops method and URL override headers, in any spelling", () => {
    for (const name of OVERRIDES) for (const spelling of [name, ...lookAlikes(name)]) expect(inboundHeaderVerdict(spelling), spelling).toBe("drop");
  });

  it("keeps ordinary headers, underscores and all", () => {
    for (const name of ["accept", "content-type", "authorization", "x-api-version", "x_custom_thing", "if-none-match", "x-gatehousekeeping"])
      expect(inboundHeaderVerdict(name), name).toBe("keep");
  });

  it("filters a request's headers by whether the peer is a trusted proxy", () => {
    const inbound = {
      accept: "*/*",
      x_gatehouse_user: "admin",
      "x-forwarded-for": "10.0.0.1",
      "true-client-ip": "10.0.0.2",
      "x-http-method-override": "DELETE",
      x_forwarded_for: "10.0.0.3",
    };
    expect(upstreamRequestHeaders(inbound, false)).toEqual({ accept: "*/*" });
    expect(upstreamRequestHeaders(inbound, true)).toEqual({ accept: "*/*", "x-forwarded-for": "10.0.0.1", "true-client-ip": "10.0.0.2" });
  });
});

describe("forwardingHeaders", () => {
  it("states the gateway's own view: peer, client, scheme and public host", () => {
    const headers: Record<string, string | string[]> = {};
    forwardingHeaders(headers, { peer: "203.0.113.9", clientIp: "203.0.113.9", tls: true, publicHost: "api.example.com" });
    expect(headers).toEqual({
      "x-forwarded-for": "203.0.113.9",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "api.example.com",
      "x-real-ip": "203.0.113.9",
      forwarded: 'for=203.0.113.9;host="api.example.com";proto=https',
    });
  });

  it("appends to a trusted proxy's chain and brackets IPv6 nodes", () => {
    const headers: Record<string, string | string[]> = {};
    forwardingHeaders(headers, {
      peer: "::1",
      clientIp: "198.51.100.1",
      tls: false,
      publicHost: "gw.local:3000",
      trustedForwardedFor: "198.51.100.1",
      trustedForwarded: "for=198.51.100.1",
    });
    expect(headers["x-forwarded-for"]).toBe("198.51.100.1, ::1");
    expect(headers["x-real-ip"]).toBe("198.51.100.1");
    expect(headers["forwarded"]).toBe('for=198.51.100.1, for="[::1]";host="gw.local:3000";proto=http');
  });
});
