// The relying-party checks on Okta's id token, against a stand-in Okta whose token
// endpoint returns id tokens signed locally with jose: a good one passes; a bad nonce, aud,
// iss, exp or signature is a DelegationError; an unknown kid makes the verifier refetch the JWKS.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DelegationError, finishDelegation, StaleAuthenticationError, startDelegation } from "./okta-delegation.ts";

const CLIENT = { clientId: "okta-delegation-client", clientSecret: "s3cret" };
const CALLBACK = "http://gatehouse.test/oauth/callback";

type Key = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

describe("Okta delegation (relying party)", () => {
  let server: Server;
  let issuer: string;
  let published: JWK[] = [];
  let jwksFetches = 0;
  /** What the stand-in token endpoint answers next. */
  let nextIdToken = "";
  let signing: { key: Key; kid: string };
  let impostor: Key;

  const idToken = async (claims: Record<string, unknown>, key = signing) =>
    new SignJWT({ sub: "00u-user", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .setIssuedAt()
      .setIssuer((claims.iss as string) ?? issuer)
      .setAudience((claims.aud as string) ?? CLIENT.clientId)
      .setExpirationTime((claims.exp as number) ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(key.key);

  beforeAll(async () => {
    const first = await generateKeyPair("RS256", { extractable: true });
    signing = { key: first.privateKey, kid: "k1" };
    published = [{ ...(await exportJWK(first.publicKey)), kid: "k1", use: "sig", alg: "RS256" }];
    impostor = (await generateKeyPair("RS256")).privateKey;
    server = createServer((req, res) => {
      const path = new URL(req.url!, issuer).pathname;
      const json = (body: unknown) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (path.endsWith("/.well-known/openid-configuration")) {
        json({
          issuer,
          authorization_endpoint: `${issuer}/v1/authorize`,
          token_endpoint: `${issuer}/v1/token`,
          jwks_uri: `${issuer}/v1/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
        });
      } else if (path.endsWith("/v1/keys")) {
        jwksFetches++;
        json({ keys: published });
      } else if (path.endsWith("/v1/token")) {
        json({ token_type: "Bearer", expires_in: 3600, access_token: "at", id_token: nextIdToken, scope: "openid" });
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const settings = () => ({ issuer, delegationClient: CLIENT });

  async function attempt(claims: (nonce: string) => Record<string, unknown>, key = signing) {
    const start = await startDelegation(settings(), CALLBACK);
    const url = new URL(start.url);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("state")).toBe(start.okta.state);
    expect(url.searchParams.get("nonce")).toBe(start.okta.nonce);
    nextIdToken = await idToken(claims(start.okta.nonce), key);
    return finishDelegation(settings(), CALLBACK, new URLSearchParams({ code: "okta-code", state: start.okta.state }), start.okta);
  }

  it("accepts a well-formed id token", async () => {
    const login = await attempt((nonce) => ({ nonce }));
    expect(login.sub).toBe("00u-user");
    expect(login.idToken).toBe(nextIdToken);
    expect(login.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("keeps auth_time and refuses a sign-in older than max_age (with a minute of clock leeway)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const finish = async (authTime: number | undefined, maxAge: number | null) => {
      const start = await startDelegation(settings(), CALLBACK, { prompt: "login", maxAge, loginHint: "dev@example.com" });
      const url = new URL(start.url);
      expect(url.searchParams.get("prompt")).toBe("login");
      expect(url.searchParams.get("login_hint")).toBe("dev@example.com");
      expect(url.searchParams.get("max_age")).toBe(maxAge === null ? null : String(maxAge));
      nextIdToken = await idToken({ nonce: start.okta.nonce, ...(authTime === undefined ? {} : { auth_time: authTime }) });
      return finishDelegation(settings(), CALLBACK, new URLSearchParams({ code: "okta-code", state: start.okta.state }), start.okta, maxAge);
    };
    expect((await finish(now - 30, 0)).authTime).toEqual(new Date((now - 30) * 1000));
    await expect(finish(now - 3600, 600)).rejects.toBeInstanceOf(StaleAuthenticationError);
    expect((await finish(now - 3600, null)).authTime).toEqual(new Date((now - 3600) * 1000));
    // Okta did not say when: nothing to check
    expect((await finish(undefined, 0)).authTime).toBeNull();
  });

  it("names the app for the sign-in page, at most 80 characters, and nothing without one", async () => {
    const named = new URL((await startDelegation(settings(), CALLBACK, { appName: `Photo <printer> ${"é".repeat(100)}` })).url);
    expect(named.searchParams.get("gatehouse_app_name")).toBe(`Photo <printer> ${"é".repeat(64)}`);
    expect(new URL((await startDelegation(settings(), CALLBACK)).url).searchParams.has("gatehouse_app_name")).toBe(false);
  });

  it.each([
    ["a bad nonce", () => ({ nonce: "someone-elses-nonce" })],
    ["no nonce", () => ({})],
    ["another audience", (nonce: string) => ({ nonce, aud: "another-client" })],
    ["another issuer", (nonce: string) => ({ nonce, iss: "https://evil.example/oauth2/default" })],
    ["an expired token", (nonce: string) => ({ nonce, exp: Math.floor(Date.now() / 1000) - 600 })],
  ])("rejects %s", async (_label, claims) => {
    await expect(attempt(claims)).rejects.toBeInstanceOf(DelegationError);
  });

  it("rejects a token signed by another key under the published kid", async () => {
    await expect(attempt((nonce) => ({ nonce }), { key: impostor, kid: "k1" })).rejects.toBeInstanceOf(DelegationError);
  });

  it("rejects a state that does not match the delegation", async () => {
    const start = await startDelegation(settings(), CALLBACK);
    nextIdToken = await idToken({ nonce: start.okta.nonce });
    await expect(finishDelegation(settings(), CALLBACK, new URLSearchParams({ code: "c", state: "forged" }), start.okta)).rejects.toBeInstanceOf(DelegationError);
  });

  it("refetches the JWKS when Okta signs with a new kid (at most once a minute)", async () => {
    await attempt((nonce) => ({ nonce }));
    const rotated = await generateKeyPair("RS256", { extractable: true });
    published = [...published, { ...(await exportJWK(rotated.publicKey)), kid: "k2", use: "sig", alg: "RS256" }];
    const k2 = { key: rotated.privateKey, kid: "k2" };
    // openid-client throttles refetches to one a minute (an unknown kid cannot make it hammer Okta)
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      const before = jwksFetches;
      const login = await attempt((nonce) => ({ nonce }), k2);
      expect(login.sub).toBe("00u-user");
      expect(jwksFetches).toBe(before + 1);
      // known keys come from the cache
      await attempt((nonce) => ({ nonce }), k2);
      await attempt((nonce) => ({ nonce }));
      expect(jwksFetches).toBe(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
