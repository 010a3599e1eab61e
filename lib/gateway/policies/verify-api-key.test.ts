import { describe, expect, it } from "vitest";
import { activeApp, testContext, testRuntime } from "../test-context.ts";
import { verifyApiKey } from "./verify-api-key.ts";
import type { OAuthClient } from "../../oauth/clients.ts";
import { canonicalCidr, CredentialRestrictions, UNRESTRICTED } from "../../security/credential-restrictions.ts";

describe("verify-api-key", () => {
  const client = (overrides: Partial<OAuthClient> = {}) =>
    ({ clientId: "gth_ci_1", credentialId: "cred-1", appId: "app-1", usable: true, validUntil: null, restrictions: UNRESTRICTED, ...overrides }) as OAuthClient;

  it("reads the configured header and removes it; the query only when configured", async () => {
    const runtime = testRuntime({ services: { findClient: async (id) => (id === "gth_ci_1" ? client() : null), findApp: async () => activeApp() } });
    const testCall = (options: Parameters<typeof testContext>[0]) => testContext({ appId: null, ...options }, runtime);
    const call = testCall({ headers: { "x-api-key": "gth_ci_1" } });
    expect(await verifyApiKey.access!(call, verifyApiKey.configSchema.parse({}))).toBeUndefined();
    expect(call.upstreamHeaders["x-api-key"]).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "api-key", clientId: "gth_ci_1", appId: "app-1" });
    expect(await verifyApiKey.access!(testCall({ url: "/x?key=gth_ci_1" }), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 401 });
    const inQuery = testCall({ url: "/x?key=gth_ci_1&a=1" });
    expect(await verifyApiKey.access!(inQuery, verifyApiKey.configSchema.parse({ queryParameter: "key" }))).toBeUndefined();
    expect(inQuery.query.toString()).toBe("a=1");
  });

  it("revoked credential → 401; app not approved for this proxy → 403", async () => {
    const revoked = testRuntime({ services: { findClient: async () => client({ usable: false }), findApp: async () => activeApp() } });
    expect(await verifyApiKey.access!(testContext({ appId: null, headers: { "x-api-key": "k" } }, revoked), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 401 });
    const unapproved = testRuntime({ services: { findClient: async () => client(), findApp: async () => activeApp({ approvedProductIds: ["prod-z"] }) } });
    expect(await verifyApiKey.access!(testContext({ appId: null, headers: { "x-api-key": "k" } }, unapproved), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 403 });
  });

  it("answers at once (no promise) when the client and app are cached; waits for them otherwise", async () => {
    const cached = testRuntime({ services: { findClient: () => client(), findApp: () => activeApp() } });
    const call = testContext({ appId: null, headers: { "x-api-key": "gth_ci_1" } }, cached);
    expect(verifyApiKey.access!(call, verifyApiKey.configSchema.parse({}))).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "api-key", clientId: "gth_ci_1" });
    const gone = testContext({ appId: null, headers: { "x-api-key": "gth_ci_1" } }, testRuntime({ services: { findClient: () => client(), findApp: () => null } }));
    expect(verifyApiKey.access!(gone, verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 401 });
    const loading = testContext(
      { appId: null, headers: { "x-api-key": "gth_ci_1" } },
      testRuntime({ services: { findClient: async () => client(), findApp: async () => activeApp() } }),
    );
    const pending = verifyApiKey.access!(loading, verifyApiKey.configSchema.parse({}));
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBeUndefined();
    expect(loading.identity).toMatchObject({ kind: "api-key", appId: "app-1" });
  });

  it("a credential past its end is refused even while cached; one restricted to other addresses → 403", async () => {
    const ended = testRuntime({ services: { findClient: () => client({ validUntil: Date.now() - 1 }), findApp: () => activeApp() } });
    expect(await verifyApiKey.access!(testContext({ appId: null, headers: { "x-api-key": "k" } }, ended), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 401 });
    const restrictions = new CredentialRestrictions([], [canonicalCidr("10.0.0.0/8")]);
    const restricted = testRuntime({ services: { findClient: () => client({ restrictions }), findApp: () => activeApp() } });
    const outside = await verifyApiKey.access!(
      testContext({ appId: null, clientIp: "203.0.113.7", headers: { "x-api-key": "k" } }, restricted),
      verifyApiKey.configSchema.parse({}),
    );
    expect(outside).toMatchObject({ status: 403, body: { code: "credential_address_restricted" } });
    const inside = await verifyApiKey.access!(
      testContext({ appId: null, clientIp: "::ffff:10.1.1.1", headers: { "x-api-key": "k" } }, restricted),
      verifyApiKey.configSchema.parse({}),
    );
    expect(inside).toBeUndefined();
  });
});
