import { describe, expect, it } from "vitest";
import { testCall } from "../test-call.ts";
import { pathMatches, scopes } from "./scopes.ts";

describe("scopes", () => {
  const config = scopes.configSchema.parse({ operations: [{ methods: ["POST"], path: "/orders/**", scopes: ["a:write"] }, { path: "/orders/{id}", scopes: ["a:read"] }] });

  it("matches segment globs", () => {
    expect(pathMatches("/orders/*", "/orders/1")).toBe(true);
    expect(pathMatches("/orders/*", "/orders/1/items")).toBe(false);
    expect(pathMatches("/orders/**", "/orders/1/items")).toBe(true);
    expect(pathMatches("/orders", "/orders/")).toBe(true);
  });

  it("missing scope → 403 insufficient_scope with the required scopes; present → on", async () => {
    const call = testCall({ method: "POST", url: "/orders/1" });
    call.identity = { kind: "gatehouse-token", appId: "a", developerId: "d", clientId: "", credentialId: null, userSub: null, scopes: new Set(["a:read"]), idTokenRecordId: null, tokenId: null };
    const answer = await scopes.access!(call, config);
    expect(answer).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });
    expect((answer as { headers: Record<string, string> }).headers["www-authenticate"]).toContain('scope="a:write"');
    const get = testCall({ url: "/orders/1" });
    get.identity = call.identity;
    expect(await scopes.access!(get, config)).toBeUndefined();
  });
});
