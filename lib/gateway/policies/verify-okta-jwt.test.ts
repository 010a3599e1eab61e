import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeApp, testContext, testRuntime } from "../test-context.ts";
import { verifyOktaJwt } from "./verify-okta-jwt.ts";
import { makeProof, proofKeyPair } from "../../oauth/dpop/test-proofs.ts";

const bearer = (t = "gth_at_abc") => ({ authorization: `Bearer ${t}` });
const errorOf = (answer: unknown) => (answer as { body: { error: string } }).body.error;

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
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: o.kid ?? "k1" })
        .setIssuer(o.iss ?? issuer)
        .setAudience(o.aud ?? "api://default")
        .setIssuedAt()
        .setExpirationTime(o.exp ?? "5m")
        .sign(privateKey);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const config = () => verifyOktaJwt.configSchema.parse({});

  it("maps cid to the portal app; scp becomes the scopes; the user's sub is kept", async () => {
    const runtime = testRuntime({ services: { oktaIssuer: () => issuer, findAppByOktaClientId: async (cid) => (cid === "0oa1" ? activeApp() : null) } });
    const call = testContext({ appId: null, headers: bearer(await sign({ cid: "0oa1", sub: "alice@example.com", scp: ["a:read", "openid"] })) }, runtime);
    expect(await verifyOktaJwt.access!(call, config())).toBeUndefined();
    expect(call.identity).toMatchObject({ kind: "okta-jwt", appId: "app-1", clientId: "0oa1", userSub: "alice@example.com" });
    expect([...call.identity!.scopes]).toEqual(["a:read", "openid"]);
  });

  it("wrong audience, wrong issuer, expired, unknown kid, unknown or inactive app → 401 invalid_token", async () => {
    const runtime = testRuntime({
      services: { oktaIssuer: () => issuer, findAppByOktaClientId: async (cid) => (cid === "0oa1" ? activeApp() : cid === "0oa2" ? activeApp({ active: false }) : null) },
    });
    const refused = async (jwt: string) => errorOf(await verifyOktaJwt.access!(testContext({ appId: null, headers: bearer(jwt) }, runtime), config()));
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

  it("a token Okta bound to a DPoP key (cnf.jkt) only with the DPoP scheme and a proof of that key", async () => {
    const runtime = testRuntime({ services: { oktaIssuer: () => issuer, findAppByOktaClientId: async () => activeApp() } });
    const key = await proofKeyPair();
    const jwt = await sign({ cid: "0oa1", cnf: { jkt: key.jkt } });
    const asBearer = await verifyOktaJwt.access!(testContext({ appId: null, headers: bearer(jwt) }, runtime), config());
    expect(asBearer).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    const proof = await makeProof(key, { htu: "http://gatehouse.test/", accessToken: jwt });
    const other = await makeProof(await proofKeyPair(), { htu: "http://gatehouse.test/", accessToken: jwt });
    expect(errorOf(await verifyOktaJwt.access!(testContext({ appId: null, headers: { authorization: `DPoP ${jwt}`, dpop: other } }, runtime), config()))).toBe("invalid_token");
    const call = testContext({ appId: null, headers: { authorization: `DPoP ${jwt}`, dpop: proof } }, runtime);
    expect(await verifyOktaJwt.access!(call, config())).toBeUndefined();
    expect(call.identity?.clientId).toBe("0oa1");
    // an unbound Okta token with the DPoP scheme is refused
    const unbound = await sign({ cid: "0oa1" });
    const proofUnbound = await makeProof(key, { htu: "http://gatehouse.test/", accessToken: unbound });
    expect(errorOf(await verifyOktaJwt.access!(testContext({ appId: null, headers: { authorization: `DPoP ${unbound}`, dpop: proofUnbound } }, runtime), config()))).toBe(
      "invalid_token",
    );
  });
});
