import { describe, expect, it } from "vitest";
import type { ValidToken } from "../../oauth/tokens/validator.ts";
import type { GatewayServices } from "../services.ts";
import { activeApp, testContext, testRuntime } from "../test-context.ts";
import { verifyAccessToken } from "./verify-access-token.ts";

const token = (overrides: Partial<ValidToken> = {}): ValidToken => ({
  tokenId: "tok-1",
  appId: "app-1",
  credentialId: "cred-1",
  userSub: "00u1",
  scopes: new Set(["a:read"]),
  products: ["product-1"],
  idTokenRecordId: "idt-1",
  familyId: null,
  authCodeId: null,
  expiresAt: Date.now() + 60_000,
  kind: "gatehouse",
  issuedAt: Date.now(),
  certificateThumbprint: null,
  dpopJkt: null,
  ...overrides,
});
const bearer = (t = "gth_at_abc") => ({ authorization: `Bearer ${t}` });
const errorOf = (answer: unknown) => (answer as { body: { error: string } }).body.error;
/** An anonymous call (what an authentication policy sees) on a gateway with these services. */
const callOn =
  (services: Partial<GatewayServices> = {}) =>
  (options: Parameters<typeof testContext>[0] = {}) =>
    testContext({ appId: null, ...options }, testRuntime({ services }));

describe("verify-access-token", () => {
  const config = verifyAccessToken.configSchema.parse({});

  it("no token → 401 with a bare Bearer challenge", async () => {
    const testCall = callOn();
    const answer = await verifyAccessToken.access!(testCall(), config);
    expect(answer).toMatchObject({ status: 401, headers: { "www-authenticate": 'Bearer realm="gatehouse"' } });
  });

  it("token in the query string → 400 invalid_request; malformed → 401 invalid_token; unknown → 401 invalid_token", async () => {
    const testCall = callOn();
    expect(errorOf(await verifyAccessToken.access!(testCall({ url: "/x?access_token=abc" }), config))).toBe("invalid_request");
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: { authorization: "Bearer a b" } }), config))).toBe("invalid_token");
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: bearer() }), config))).toBe("invalid_token");
  });

  it("a valid token of an active app approved for the proxy's product sets the identity; the scheme is case-insensitive", async () => {
    const testCall = callOn({ validateToken: async () => token(), findApp: async () => activeApp() });
    const call = testCall({ headers: { authorization: "BEARER gth_at_abc" } });
    expect(await verifyAccessToken.access!(call, config)).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "gatehouse-token", appId: "app-1", developerId: "dev-1", userSub: "00u1" });
    expect(call.productId).toBe("product-1");
  });

  it("a token for another product → 401 invalid_token; an inactive app → 401", async () => {
    const testCall = callOn({ validateToken: async () => token({ products: ["prod-b"] }), findApp: async () => activeApp({ approvedProductIds: ["product-1", "prod-b"] }) });
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: bearer() }), config))).toBe("invalid_token");
    const inactive = callOn({ validateToken: async () => token(), findApp: async () => activeApp({ active: false }) });
    expect(errorOf(await verifyAccessToken.access!(inactive({ headers: bearer() }), config))).toBe("invalid_token");
  });

  it("refuses a certificate-bound token presented without its certificate (RFC 8705)", async () => {
    const testCall = callOn({ validateToken: async () => token({ certificateThumbprint: "thumb" }), findApp: async () => activeApp() });
    const answer = await verifyAccessToken.access!(testCall({ headers: bearer() }), config);
    expect(answer).toMatchObject({ status: 401 });
    expect(errorOf(answer)).toBe("invalid_token");
  });

  it("names an external token's identity kind", async () => {
    const testCall = callOn({ validateToken: async () => token({ kind: "external" }), findApp: async () => activeApp() });
    const call = testCall({ headers: bearer("eyJ.okta.token") });
    expect(await verifyAccessToken.access!(call, config)).toBeUndefined();
    expect(call.identity?.kind).toBe("external-token");
  });
});
