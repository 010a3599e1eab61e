import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { corsHeadersFor, redirectOrigins } from "./browser-origins.ts";

const from = (origin?: string) => ({ headers: origin ? { origin } : {} }) as IncomingMessage;

describe("CORS for single-page apps at the token endpoint", () => {
  const browserOrigins = redirectOrigins(["https://spa.example.com/callback", "http://127.0.0.1/cb", "com.example.app:/oauth", "not a url"]);
  const spa = { appType: "public" as const, browserOrigins };

  it("lets a public client's registered origins read the answer, loopback on any port", () => {
    expect(corsHeadersFor(from("https://spa.example.com"), spa)).toEqual({
      "access-control-allow-origin": "https://spa.example.com",
      "access-control-expose-headers": "DPoP-Nonce",
      vary: "Origin",
    });
    expect(corsHeadersFor(from("http://127.0.0.1:5173"), spa)["access-control-allow-origin"]).toBe("http://127.0.0.1:5173");
  });

  it("refuses other origins, look-alikes, confidential clients and requests without an origin", () => {
    for (const origin of ["https://evil.example", "https://spa.example.com.evil.example", "http://spa.example.com", "https://127.0.0.1:5173", "http://localhost:5173", "null"]) {
      expect(corsHeadersFor(from(origin), spa), origin).toEqual({});
    }
    expect(corsHeadersFor(from("https://spa.example.com"), { ...spa, appType: "confidential" })).toEqual({});
    expect(corsHeadersFor(from(), spa)).toEqual({});
  });
});
