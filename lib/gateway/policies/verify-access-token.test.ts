import { describe, expect, it } from "vitest";
import type { ValidToken } from "../../oauth/tokens/validator.ts";
import type { GatewayServices } from "../services.ts";
import { activeApp, testContext, testRuntime } from "../test-context.ts";
import { verifyAccessToken } from "./verify-access-token.ts";
import { makeProof, proofKeyPair } from "../../oauth/dpop/test-proofs.ts";
import { canonicalReferrerPattern, CredentialRestrictions, UNRESTRICTED } from "../../security/credential-restrictions.ts";

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
  actor: null,
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

  it("no token → 401 with bare Bearer and DPoP challenges", async () => {
    const testCall = callOn();
    const answer = await verifyAccessToken.access!(testCall(), config);
    expect(answer).toMatchObject({ status: 401 });
    expect((answer as { headers: Record<string, string> }).headers["www-authenticate"]).toMatch(/^Bearer realm="gatehouse", DPoP realm="gatehouse", algs="ES256 /);
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

  describe("DPoP-bound tokens (RFC 9449 §7)", () => {
    const headerOf = (answer: unknown, name: string) => (answer as { headers: Record<string, string> }).headers[name];
    const dpopCall = async (boundTo: string | null, headers: Record<string, string>, url = "/items") => {
      const runtime = testRuntime({ services: { validateToken: async () => token({ dpopJkt: boundTo }), findApp: async () => activeApp() } });
      return testContext({ appId: null, url, headers }, runtime);
    };

    it("admits a bound token with the DPoP scheme and a proof of its key for this request", async () => {
      const key = await proofKeyPair();
      const proof = await makeProof(key, { htu: "http://gatehouse.test/items", accessToken: "gth_at_abc" });
      const call = await dpopCall(key.jkt, { authorization: "DPoP gth_at_abc", dpop: proof }, "/items?page=2");
      expect(await verifyAccessToken.access!(call, config)).toBeUndefined();
      expect(call.identity?.appId).toBe("app-1");
    });

    it("refuses a bound token presented as Bearer with a DPoP challenge naming the algs", async () => {
      const key = await proofKeyPair();
      const answer = await verifyAccessToken.access!(await dpopCall(key.jkt, bearer()), config);
      expect(answer).toMatchObject({ status: 401, body: { error: "invalid_token" } });
      expect(headerOf(answer, "www-authenticate")).toMatch(/^DPoP realm="gatehouse", error="invalid_token", .*algs="ES256 /);
    });

    it("refuses the DPoP scheme with an unbound token, a proof of another key, a missing proof, a proof for another path or token", async () => {
      const key = await proofKeyPair();
      const other = await proofKeyPair();
      const proofFor = (k = key, claims: Parameters<typeof makeProof>[1] = {}) => makeProof(k, { htu: "http://gatehouse.test/items", accessToken: "gth_at_abc", ...claims });
      const cases: Array<[string | null, Record<string, string>, string]> = [
        [null, { authorization: "DPoP gth_at_abc", dpop: await proofFor() }, "invalid_token"],
        [key.jkt, { authorization: "DPoP gth_at_abc", dpop: await proofFor(other) }, "invalid_token"],
        [key.jkt, { authorization: "DPoP gth_at_abc" }, "invalid_dpop_proof"],
        [key.jkt, { authorization: "DPoP gth_at_abc", dpop: await proofFor(key, { htu: "http://gatehouse.test/admin" }) }, "invalid_dpop_proof"],
        [key.jkt, { authorization: "DPoP gth_at_abc", dpop: await proofFor(key, { accessToken: "gth_at_other" }) }, "invalid_dpop_proof"],
      ];
      for (const [boundTo, headers, error] of cases) {
        const answer = await verifyAccessToken.access!(await dpopCall(boundTo, headers), config);
        expect(answer, JSON.stringify(headers)).toMatchObject({ status: 401, body: { error } });
        expect(headerOf(answer, "www-authenticate")).toMatch(/^DPoP /);
      }
    });

    it("refuses a replayed proof, and a stale nonce with use_dpop_nonce and a fresh DPoP-Nonce", async () => {
      const key = await proofKeyPair();
      const proof = await makeProof(key, { htu: "http://gatehouse.test/items", accessToken: "gth_at_abc" });
      const runtime = testRuntime({ services: { validateToken: async () => token({ dpopJkt: key.jkt }), findApp: async () => activeApp() } });
      const headers = { authorization: "DPoP gth_at_abc", dpop: proof };
      expect(await verifyAccessToken.access!(testContext({ appId: null, url: "/items", headers }, runtime), config)).toBeUndefined();
      expect(await verifyAccessToken.access!(testContext({ appId: null, url: "/items", headers }, runtime), config)).toMatchObject({ body: { error: "invalid_dpop_proof" } });
      const stale = await makeProof(key, { htu: "http://gatehouse.test/items", accessToken: "gth_at_abc", nonce: "0.stale" });
      const answer = await verifyAccessToken.access!(testContext({ appId: null, url: "/items", headers: { ...headers, dpop: stale } }, runtime), config);
      expect(answer).toMatchObject({ status: 401, body: { error: "use_dpop_nonce" } });
      expect(headerOf(answer, "dpop-nonce")).toBe(runtime.services.dpop.currentNonce());
    });
  });

  it("a token of a renewed credential ends with its grace period; a restricted credential's token is refused elsewhere (403)", async () => {
    const withCredential = (graceEndsAt: number | null, restrictions = UNRESTRICTED) =>
      callOn({ validateToken: () => token(), findApp: () => activeApp({ credentials: new Map([["cred-1", { graceEndsAt, restrictions }]]) }) });
    const during = await verifyAccessToken.access!(withCredential(Date.now() + 60_000)({ headers: bearer() }), config);
    expect(during, JSON.stringify(during)).toBeUndefined();
    const ended = await verifyAccessToken.access!(withCredential(Date.now() - 1)({ headers: bearer() }), config);
    expect(ended).toMatchObject({ status: 401 });
    expect(errorOf(ended)).toBe("invalid_token");
    const pages = new CredentialRestrictions([canonicalReferrerPattern("https://app.example.com/*")], []);
    const elsewhere = await verifyAccessToken.access!(withCredential(null, pages)({ headers: { ...bearer(), origin: "https://evil.example" } }), config);
    expect(elsewhere).toMatchObject({ status: 403, body: { code: "credential_referrer_restricted" } });
    expect(await verifyAccessToken.access!(withCredential(null, pages)({ headers: { ...bearer(), origin: "https://app.example.com" } }), config)).toBeUndefined();
  });
});
