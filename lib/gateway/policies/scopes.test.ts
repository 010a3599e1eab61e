import { describe, expect, it } from "vitest";
import { testContext } from "../test-context.ts";
import { pathMatches, scopes } from "./scopes.ts";

describe("scopes", () => {
  const config = scopes.configSchema.parse({
    operations: [
      { methods: ["POST"], path: "/orders/**", scopes: ["a:write"] },
      { path: "/orders/{id}", scopes: ["a:read"] },
    ],
  });

  it("matches segment globs", () => {
    expect(pathMatches("/orders/*", "/orders/1")).toBe(true);
    expect(pathMatches("/orders/*", "/orders/1/items")).toBe(false);
    expect(pathMatches("/orders/**", "/orders/1/items")).toBe(true);
    expect(pathMatches("/orders", "/orders/")).toBe(true);
  });

  it("missing scope → 403 insufficient_scope with the required scopes; present → on", async () => {
    const identity = {
      kind: "gatehouse-token" as const,
      appId: "a",
      developerId: "d",
      clientId: "",
      credentialId: null,
      userSub: null,
      scopes: new Set(["a:read"]),
      idTokenRecordId: null,
      tokenId: null,
    };
    const call = testContext({ method: "POST", url: "/orders/1", identity });
    const answer = await scopes.access!(call, config);
    expect(answer).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });
    expect((answer as { headers: Record<string, string> }).headers["www-authenticate"]).toContain('scope="a:write"');
    const get = testContext({ url: "/orders/1", identity });
    expect(await scopes.access!(get, config)).toBeUndefined();
  });
});
