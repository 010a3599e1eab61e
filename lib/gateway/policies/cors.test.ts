import { describe, expect, it } from "vitest";
import { testContext } from "../test-context.ts";
import { cors } from "./cors.ts";

describe("cors", () => {
  const config = cors.configSchema.parse({ origins: ["https://app.example"] });

  it("answers listed preflights and never reflects an unlisted origin", async () => {
    const ok = await cors.access!(testContext({ method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } }), config);
    expect(ok).toMatchObject({ status: 204, headers: { "access-control-allow-origin": "https://app.example" } });
    const evil = testContext({ headers: { origin: "https://evil.example" } });
    expect(await cors.access!(evil, config)).toBeUndefined();
    expect(evil.responseHeaders["access-control-allow-origin"]).toBeUndefined();
    expect(() => cors.configSchema.parse({ origins: ["*"], credentials: true })).toThrow();
  });

  it("lets browsers send a DPoP proof and read DPoP-Nonce (RFC 9449 §9)", async () => {
    const preflight = await cors.access!(testContext({ method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "GET" } }), config);
    expect((preflight as { headers: Record<string, string> }).headers["access-control-allow-headers"]).toContain("dpop");
    const call = testContext({ headers: { origin: "https://app.example" } });
    await cors.access!(call, cors.configSchema.parse({ origins: ["https://app.example"], exposeHeaders: ["x-trace"] }));
    expect(call.responseHeaders["access-control-expose-headers"]).toBe("x-trace, DPoP-Nonce");
  });
});
