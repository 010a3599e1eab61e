import { describe, expect, it } from "vitest";
import { callerResponseHeaders, upstreamRequestHeaders } from "./headers.ts";

describe("gateway headers", () => {
  it("drops hop-by-hop headers, those the Connection header names, host and inbound X-Gatehouse-*", () => {
    const out = upstreamRequestHeaders(
      {
        connection: "close, x-hop",
        "x-hop": "1",
        "keep-alive": "5",
        "transfer-encoding": "chunked",
        te: "trailers",
        upgrade: "h2c",
        host: "gw",
        "x-gatehouse-user": "spoof",
        "proxy-authorization": "Basic x",
        accept: "*/*",
      },
      false,
    );
    expect(out).toEqual({ accept: "*/*" });
    expect(callerResponseHeaders({ connection: "x-a", "x-a": "1", "content-type": "text/plain", "transfer-encoding": "chunked", "set-cookie": ["a=1", "b=2"] })).toEqual({
      "content-type": "text/plain",
      "set-cookie": ["a=1", "b=2"],
    });
  });
});
