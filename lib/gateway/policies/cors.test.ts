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
});
