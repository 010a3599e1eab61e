import { describe, expect, it } from "vitest";
import { deprecationHeaders } from "./pipeline.ts";
import { callerResponseHeaders, upstreamRequestHeaders } from "./headers.ts";

describe("gateway headers", () => {
  it("drops hop-by-hop headers, those the Connection header names, host and inbound X-Gatehouse-*", () => {
    const out = upstreamRequestHeaders({ connection: "close, x-hop", "x-hop": "1", "keep-alive": "5", "transfer-encoding": "chunked", te: "trailers", upgrade: "h2c", host: "gw", "x-gatehouse-user": "spoof", "proxy-authorization": "Basic x", accept: "*/*" }, false);
    expect(out).toEqual({ accept: "*/*" });
    expect(callerResponseHeaders({ connection: "x-a", "x-a": "1", "content-type": "text/plain", "transfer-encoding": "chunked", "set-cookie": ["a=1", "b=2"] })).toEqual({ "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
  });

  it("announces deprecation (RFC 9745) and sunset (RFC 8594)", () => {
    const headers = deprecationHeaders({ deprecatedAt: new Date("2026-01-01T00:00:00Z"), sunsetAt: new Date("2027-01-01T00:00:00Z"), deprecationLink: "https://d.example" } as never);
    expect(headers).toEqual({ deprecation: "@1767225600", sunset: "Fri, 01 Jan 2027 00:00:00 GMT", link: '<https://d.example>; rel="deprecation"; type="text/html"' });
  });
});
