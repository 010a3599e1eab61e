import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ValidToken } from "../../oauth/tokens/validator.ts";
import { activeApp, fakeServices, testCall } from "../test-call.ts";
import { assignIdentity, headerValue } from "./assign-identity.ts";
import { cors } from "./cors.ts";
import { payloadSize } from "./payload-size.ts";
import { pathMatches, scopes } from "./scopes.ts";
import { verifyAccessToken } from "./verify-access-token.ts";
import { verifyApiKey } from "./verify-api-key.ts";
import { verifyOktaJwt } from "./verify-okta-jwt.ts";
import type { OAuthClient } from "../../oauth/clients.ts";

const token = (overrides: Partial<ValidToken> = {}): ValidToken => ({
  tokenId: "tok-1", appId: "app-1", credentialId: "cred-1", userSub: "00u1", scopes: new Set(["a:read"]), products: ["prod-a"], idTokenRecordId: "idt-1", familyId: null, authCodeId: null, expiresAt: Date.now() + 60_000, ...overrides,
});
const bearer = (t = "gth_at_abc") => ({ authorization: `Bearer ${t}` });
const errorOf = (answer: unknown) => (answer as { body: { error: string } }).body.error;

describe("verify-access-token (A18, A22)", () => {
  const config = verifyAccessToken.configSchema.parse({});

  it("no token → 401 with a bare Bearer challenge", async () => {
    fakeServices();
    const answer = await verifyAccessToken.access!(testCall(), config);
    expect(answer).toMatchObject({ status: 401, headers: { "www-authenticate": 'Bearer realm="gatehouse"' } });
  });

  it("token in the query string → 400 invalid_request; malformed → 401 invalid_token; unknown → 401 invalid_token", async () => {
    fakeServices();
    expect(errorOf(await verifyAccessToken.access!(testCall({ url: "/x?access_token=abc" }), config))).toBe("invalid_request");
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: { authorization: "Bearer a b" } }), config))).toBe("invalid_token");
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: bearer() }), config))).toBe("invalid_token");
  });

  it("a valid token of an active app approved for the proxy's product sets the identity; the scheme is case-insensitive", async () => {
    fakeServices({ validateToken: async () => token(), findApp: async () => activeApp() });
    const call = testCall({ headers: { authorization: "BEARER gth_at_abc" } });
    expect(await verifyAccessToken.access!(call, config)).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "gatehouse-token", appId: "app-1", developerId: "dev-1", userSub: "00u1" });
    expect(call.productId).toBe("prod-a");
  });

  it("a token for another product → 401 invalid_token (A18); an inactive app → 401", async () => {
    fakeServices({ validateToken: async () => token({ products: ["prod-b"] }), findApp: async () => activeApp({ approvedProductIds: ["prod-a", "prod-b"] }) });
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: bearer() }), config))).toBe("invalid_token");
    fakeServices({ validateToken: async () => token(), findApp: async () => activeApp({ active: false }) });
    expect(errorOf(await verifyAccessToken.access!(testCall({ headers: bearer() }), config))).toBe("invalid_token");
  });
});

describe("verify-api-key", () => {
  const client = (overrides: Partial<OAuthClient> = {}) => ({ clientId: "gth_ci_1", credentialId: "cred-1", appId: "app-1", usable: true, ...overrides }) as OAuthClient;

  it("reads the configured header and removes it; the query only when configured", async () => {
    fakeServices({ findClient: async (id) => (id === "gth_ci_1" ? client() : null), findApp: async () => activeApp() });
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
    fakeServices({ findClient: async () => client({ usable: false }), findApp: async () => activeApp() });
    expect(await verifyApiKey.access!(testCall({ headers: { "x-api-key": "k" } }), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 401 });
    fakeServices({ findClient: async () => client(), findApp: async () => activeApp({ approvedProductIds: ["prod-z"] }) });
    expect(await verifyApiKey.access!(testCall({ headers: { "x-api-key": "k" } }), verifyApiKey.configSchema.parse({}))).toMatchObject({ status: 403 });
  });
});

describe("verify-okta-jwt (Scenario 2)", () => {
  let server: http.Server;
  let issuer: string;
  let sign: (claims: Record<string, unknown>, options?: { kid?: string; exp?: string; iss?: string; aud?: string }) => Promise<string>;
  let keysServed = 0;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    server = http.createServer((_req, res) => {
      keysServed++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default`;
    sign = (claims, o = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: o.kid ?? "k1" }).setIssuer(o.iss ?? issuer).setAudience(o.aud ?? "api://default").setIssuedAt().setExpirationTime(o.exp ?? "5m").sign(privateKey);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const config = () => verifyOktaJwt.configSchema.parse({});

  it("maps cid to the portal app; scp becomes the scopes; the user's sub is kept", async () => {
    fakeServices({ oktaIssuer: () => issuer, findAppByOktaClientId: async (cid) => (cid === "0oa1" ? activeApp() : null) });
    const call = testCall({ headers: bearer(await sign({ cid: "0oa1", sub: "alice@example.com", scp: ["a:read", "openid"] })) });
    expect(await verifyOktaJwt.access!(call, config())).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "okta-jwt", appId: "app-1", clientId: "0oa1", userSub: "alice@example.com" });
    expect([...call.identity!.scopes]).toEqual(["a:read", "openid"]);
  });

  it("wrong audience, wrong issuer, expired, unknown kid, unknown or inactive app → 401 invalid_token", async () => {
    fakeServices({ oktaIssuer: () => issuer, findAppByOktaClientId: async (cid) => (cid === "0oa1" ? activeApp() : cid === "0oa2" ? activeApp({ active: false }) : null) });
    const refused = async (jwt: string) => errorOf(await verifyOktaJwt.access!(testCall({ headers: bearer(jwt) }), config()));
    expect(await refused(await sign({ cid: "0oa1" }, { aud: "api://other" }))).toBe("invalid_token");
    expect(await refused(await sign({ cid: "0oa1" }, { iss: "https://evil.example/oauth2/default" }))).toBe("invalid_token");
    expect(await refused(await sign({ cid: "0oa1" }, { exp: "-1m" }))).toBe("invalid_token");
    const before = keysServed;
    expect(await refused(await sign({ cid: "0oa1" }, { kid: "unknown" }))).toBe("invalid_token");
    expect(keysServed - before).toBeLessThanOrEqual(1); // refetched once at most
    expect(await refused(await sign({ cid: "0oa9" }))).toBe("invalid_token");
    expect(await refused(await sign({ cid: "0oa2" }))).toBe("invalid_token");
    expect(await refused(await sign({ sub: "x" }))).toBe("invalid_token");
  });
});

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

describe("cors", () => {
  const config = cors.configSchema.parse({ origins: ["https://app.example"] });

  it("answers listed preflights and never reflects an unlisted origin", async () => {
    const ok = await cors.access!(testCall({ method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } }), config);
    expect(ok).toMatchObject({ status: 204, headers: { "access-control-allow-origin": "https://app.example" } });
    const evil = testCall({ headers: { origin: "https://evil.example" } });
    expect(await cors.access!(evil, config)).toBeUndefined();
    expect(evil.responseHeaders["access-control-allow-origin"]).toBeUndefined();
    expect(() => cors.configSchema.parse({ origins: ["*"], credentials: true })).toThrow();
  });
});

describe("payload-size", () => {
  it("a declared length over the limit → 413 before reading", async () => {
    expect(await payloadSize.access!(testCall({ method: "POST", headers: { "content-length": "11" } }), { maxBytes: 10 })).toMatchObject({ status: 413 });
    expect(await payloadSize.access!(testCall({ method: "POST", headers: { "content-length": "10" } }), { maxBytes: 10 })).toBeUndefined();
  });
});

describe("assign-identity", () => {
  const identity = { kind: "gatehouse-token" as const, appId: "app-1", developerId: "dev-1", clientId: "", credentialId: null, userSub: "00u1", scopes: new Set(["a:read"]), idTokenRecordId: "idt-1", tokenId: "t" };
  const idToken = { jwt: "eyJ.header.sig", claims: { sub: "00u1", email: "ana@example.com", name: "Ana Müller", groups: ["a", "b"], secret: "no" } };

  it("claims mode: selected id-token claims as headers; Authorization removed; app and developer ids added", async () => {
    fakeServices({ readIdToken: async () => idToken });
    const call = testCall({ headers: { authorization: "Bearer x" }, proxy: { idTokenMode: "claims" } });
    call.identity = identity;
    await assignIdentity.access!(call, assignIdentity.configSchema.parse({ claims: ["email", "name", "groups"] }));
    expect(call.upstreamHeaders).toMatchObject({ "x-gatehouse-app-id": "app-1", "x-gatehouse-developer-id": "dev-1", "x-gatehouse-user": "00u1", "x-gatehouse-user-email": "ana@example.com", "x-gatehouse-user-name": "Ana%20M%C3%BCller", "x-gatehouse-user-groups": "a,b" });
    expect(call.upstreamHeaders.authorization).toBeUndefined();
    expect(call.upstreamHeaders["x-gatehouse-claim-secret"]).toBeUndefined();
  });

  it("whole mode forwards the id token; none forwards nothing about the user", async () => {
    fakeServices({ readIdToken: async () => idToken });
    const whole = testCall({ proxy: { idTokenMode: "whole" } });
    whole.identity = identity;
    await assignIdentity.access!(whole, assignIdentity.configSchema.parse({}));
    expect(whole.upstreamHeaders["x-gatehouse-id-token"]).toBe("eyJ.header.sig");
    const none = testCall({ proxy: { idTokenMode: "none" } });
    none.identity = identity;
    await assignIdentity.access!(none, assignIdentity.configSchema.parse({}));
    expect(none.upstreamHeaders["x-gatehouse-user"]).toBeUndefined();
    expect(none.upstreamHeaders["x-gatehouse-app-id"]).toBe("app-1");
  });

  it("header values never carry control characters", () => {
    expect(headerValue("a\r\nX-Evil: 1")).toBe("a%0D%0AX-Evil%3A%201");
  });
});
