// DPoP (RFC 9449) against the real server: the token endpoint's nonce round trip and binding
// (client credentials, authorization code, refresh for public and confidential clients), the
// gateway and userinfo accepting bound tokens only with a proof of their key, introspection's
// cnf.jkt, and an app that requires DPoP. oauth4webapi is the independent client where it
// applies; raw HTTP with proofs made by jose where the test is about a broken proof.
import { createHash, randomBytes } from "node:crypto";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { issueAuthorizationCode } from "../../lib/oauth/codes.ts";
import { makeProof, proofKeyPair, type ProofKeyPair } from "../../lib/oauth/dpop/test-proofs.ts";
import { configuredBackends } from "../harness/backends.ts";
import type { RunningGatehouse } from "../harness/gatehouse.ts";
import { startSystem } from "../harness/system.ts";
import type { apiCaller, Caller } from "../harness/portal-setup.ts";

const hash = (value: string) => createHash("sha256").update(value).digest("hex");
type Answer = { status: number; json: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(configuredBackends())("DPoP on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let stop: () => Promise<void>;
  let db: Database;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let as: oauth.AuthorizationServer;
  let app: { id: string; clientId: string; secret: string };
  let spa: { id: string; clientId: string };
  const opts = { [oauth.allowInsecureRequests]: true } as const;
  const ECHO = "/gateway/echo/v1/anything";

  async function newApp(name: string, extra: Record<string, unknown> = {}) {
    const created = await api(developer, "POST", "/apps", { name, products: ["echo"], redirectUris: ["https://spa.example/cb"], ...extra });
    expect(created.status).toBe(201);
    return { id: created.json.app.id as string, clientId: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
  }

  const basic = (a: { clientId: string; secret: string }) => `Basic ${Buffer.from(`${encodeURIComponent(a.clientId)}:${encodeURIComponent(a.secret)}`).toString("base64")}`;

  /** A token request with raw HTTP; `key` adds a proof (with `nonce`). */
  async function tokenRequest(
    params: Record<string, string>,
    options: { auth?: { clientId: string; secret: string }; key?: ProofKeyPair; nonce?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...options.headers };
    if (options.auth) headers.authorization = basic(options.auth);
    if (options.key) headers.dpop = await makeProof(options.key, { htm: "POST", htu: `${gatehouse.url}/oauth/token`, nonce: options.nonce });
    const res = await fetch(`${gatehouse.url}/oauth/token`, { method: "POST", headers, body: new URLSearchParams(params) });
    return { status: res.status, json: await res.json().catch(() => null), headers: res.headers };
  }

  /** The token endpoint's nonce: what a request without one is refused with. */
  async function tokenNonce(key: ProofKeyPair): Promise<string> {
    const refused = await tokenRequest({ grant_type: "client_credentials" }, { auth: app, key });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("use_dpop_nonce");
    return refused.headers.get("dpop-nonce")!;
  }

  /** A resource call (GET) with `scheme` and, when `key` is given, a proof for `proofUrl` (default: this URL) and `proofToken`. */
  async function resource(
    path: string,
    token: string,
    options: { scheme?: string; key?: ProofKeyPair; proof?: string; proofPath?: string; proofToken?: string; method?: string } = {},
  ): Promise<Answer> {
    const method = options.method ?? "GET";
    const headers: Record<string, string> = { authorization: `${options.scheme ?? "DPoP"} ${token}` };
    if (options.proof) headers.dpop = options.proof;
    else if (options.key)
      headers.dpop = await makeProof(options.key, { htm: method, htu: `${gatehouse.url}${options.proofPath ?? path}`, accessToken: options.proofToken ?? token });
    const res = await fetch(`${gatehouse.url}${path}`, { method, headers });
    return { status: res.status, json: await res.json().catch(() => null), headers: res.headers };
  }

  async function codeFor(client: { id: string; clientId: string }, verifier: string, dpopJkt: string | null = null): Promise<string> {
    const credential = await db.credential.findUniqueOrThrow({ where: { clientId: client.clientId } });
    return issueAuthorizationCode(db, {
      appId: client.id,
      credentialId: credential.id,
      userSub: "00uDpopUser",
      redirectUri: "https://spa.example/cb",
      scope: "openid",
      codeChallenge: createHash("sha256").update(verifier).digest("base64url"),
      codeChallengeMethod: "S256",
      nonce: null,
      dpopJkt,
      idTokenRecordId: null,
    });
  }

  beforeAll(async () => {
    ({ gatehouse, db, api, admin, developer, stop } = await startSystem(backend));
    app = await newApp("dpop-app");
    spa = await newApp("dpop-spa", { type: "public" });
    as = await oauth.processDiscoveryResponse(new URL(gatehouse.url), await oauth.discoveryRequest(new URL(gatehouse.url), { algorithm: "oauth2", ...opts }));
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  });

  it("publishes the proof algorithms (RFC 9449 §5.1)", () => {
    expect(as.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(["ES256", "RS256", "PS256", "EdDSA"]));
    expect(as.dpop_signing_alg_values_supported).not.toContain("none");
  });

  it("oauth4webapi: use_dpop_nonce round trip, a DPoP-bound client-credentials token, and the gateway with a proof", async () => {
    const keyPair = await generateKeyPair("ES256");
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    const DPoP = oauth.DPoP({}, keyPair);
    const request = () => oauth.clientCredentialsGrantRequest(as, { client_id: app.clientId }, oauth.ClientSecretBasic(app.secret), { scope: "" }, { DPoP, ...opts });
    let nonceError = false;
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens = await oauth.processClientCredentialsResponse(as, { client_id: app.clientId }, await request());
    } catch (error) {
      nonceError = oauth.isDPoPNonceError(error);
      if (!nonceError) throw error;
      tokens = await oauth.processClientCredentialsResponse(as, { client_id: app.clientId }, await request());
    }
    expect(nonceError).toBe(true); // the first request had no nonce
    expect(tokens.token_type).toBe("dpop");
    const row = await db.accessToken.findUniqueOrThrow({ where: { tokenHash: hash(tokens.access_token) } });
    expect(row.dpopJkt).toBe(jkt);

    const res = await oauth.protectedResourceRequest(tokens.access_token, "GET", new URL(`${gatehouse.url}${ECHO}?q=1`), undefined, undefined, { DPoP, ...opts });
    expect(res.status).toBe(200);
    // the same token as a Bearer token: refused with a DPoP challenge (RFC 9449 §7.2)
    const bearer = await resource(ECHO, tokens.access_token, { scheme: "Bearer" });
    expect(bearer.status).toBe(401);
    expect(bearer.json.error).toBe("invalid_token");
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP realm="gatehouse", error="invalid_token".*algs="[^"]*ES256/);
  });

  describe("with a bound client-credentials token", () => {
    let key: ProofKeyPair;
    let token: string;
    beforeAll(async () => {
      key = await proofKeyPair("ES256");
      const issued = await tokenRequest({ grant_type: "client_credentials" }, { auth: app, key, nonce: await tokenNonce(key) });
      expect(issued.status).toBe(200);
      expect(issued.json.token_type).toBe("DPoP");
      token = issued.json.access_token;
    });

    it("works at the gateway with a proof of its key; another key, a missing proof, another URL or a replayed proof are refused", async () => {
      const first = await resource(ECHO, token, { key });
      expect(first.status).toBe(200);
      // the proof is the gateway's, like the token: the backend sees neither
      expect(first.json.headers.dpop).toBeUndefined();
      expect(first.json.headers.authorization).toBeUndefined();
      expect(first.json.headers["x-gatehouse-app-id"]).toBe(app.id);
      // htu compared after normalisation: another spelling of this URL is this URL
      expect((await resource(ECHO, token, { key, proofPath: "/gateway/%65cho/v1/anything?x=1" })).status).toBe(200);
      const other = await resource(ECHO, token, { key: await proofKeyPair("ES256") });
      expect(other.status).toBe(401);
      expect(other.json.error).toBe("invalid_token");
      const none = await resource(ECHO, token);
      expect(none.status).toBe(401);
      expect(none.json.error).toBe("invalid_dpop_proof");
      expect(none.headers.get("www-authenticate")).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
      const elsewhere = await resource(ECHO, token, { key, proofPath: "/gateway/echo/v1/other" });
      expect(elsewhere.json.error).toBe("invalid_dpop_proof");
      const proof = await makeProof(key, { htm: "GET", htu: `${gatehouse.url}${ECHO}`, accessToken: token });
      expect((await resource(ECHO, token, { proof })).status).toBe(200);
      const replay = await resource(ECHO, token, { proof });
      expect(replay.status).toBe(401);
      expect(replay.json.error).toBe("invalid_dpop_proof");
      const wrongMethod = await resource(ECHO, token, { proof: await makeProof(key, { htm: "POST", htu: `${gatehouse.url}${ECHO}`, accessToken: token }) });
      expect(wrongMethod.json.error).toBe("invalid_dpop_proof");
    });

    it("a stale nonce at the gateway earns use_dpop_nonce with a fresh DPoP-Nonce", async () => {
      const proof = await makeProof(key, { htm: "GET", htu: `${gatehouse.url}${ECHO}`, accessToken: token, nonce: "0.stale" });
      const res = await resource(ECHO, token, { proof });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe("use_dpop_nonce");
      expect(res.headers.get("www-authenticate")).toMatch(/^DPoP .*error="use_dpop_nonce"/);
      const nonce = res.headers.get("dpop-nonce");
      expect(nonce).toBeTruthy();
      expect((await resource(ECHO, token, { proof: await makeProof(key, { htm: "GET", htu: `${gatehouse.url}${ECHO}`, accessToken: token, nonce: nonce! }) })).status).toBe(200);
    });

    it("introspection shows the binding: cnf.jkt and token_type DPoP", async () => {
      const res = await fetch(`${gatehouse.url}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(app) },
        body: new URLSearchParams({ token }),
      });
      expect(await res.json()).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
    });

    it("an unbound token with the DPoP scheme is refused; as Bearer it still works", async () => {
      const unbound = await tokenRequest({ grant_type: "client_credentials" }, { auth: app });
      expect(unbound.json.token_type).toBe("Bearer");
      const asDpop = await resource(ECHO, unbound.json.access_token, { key });
      expect(asDpop.status).toBe(401);
      expect(asDpop.json.error).toBe("invalid_token");
      expect((await resource(ECHO, unbound.json.access_token, { scheme: "Bearer" })).status).toBe(200);
    });
  });

  it("token endpoint refusals: a proof for another URL, a replayed proof, a forged nonce", async () => {
    const key = await proofKeyPair("ES256");
    const nonce = await tokenNonce(key);
    const wrongUrl = await makeProof(key, { htm: "POST", htu: `${gatehouse.url}/oauth/introspect`, nonce });
    const refused = await tokenRequest({ grant_type: "client_credentials" }, { auth: app, headers: { dpop: wrongUrl } });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("invalid_dpop_proof");
    const proof = await makeProof(key, { htm: "POST", htu: `${gatehouse.url}/oauth/token`, nonce });
    expect((await tokenRequest({ grant_type: "client_credentials" }, { auth: app, headers: { dpop: proof } })).status).toBe(200);
    expect((await tokenRequest({ grant_type: "client_credentials" }, { auth: app, headers: { dpop: proof } })).json.error).toBe("invalid_dpop_proof");
    const forged = await tokenRequest({ grant_type: "client_credentials" }, { auth: app, key, nonce: `${nonce.split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAA` });
    expect(forged.json.error).toBe("use_dpop_nonce");
    expect(forged.headers.get("dpop-nonce")).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/); // this slot's (or, at a slot's turn, the next one's)
  });

  it("a public client's code and refresh tokens are bound to its key (RFC 9449 §5); userinfo takes the token with a proof", async () => {
    const key = await proofKeyPair("ES256");
    const nonce = await tokenNonce(key);
    const verifier = randomBytes(32).toString("base64url");
    const redeemed = await tokenRequest(
      { grant_type: "authorization_code", code: await codeFor(spa, verifier), redirect_uri: "https://spa.example/cb", code_verifier: verifier, client_id: spa.clientId },
      { key, nonce, headers: { origin: "https://spa.example" } },
    );
    expect(redeemed.status).toBe(200);
    expect(redeemed.json.token_type).toBe("DPoP");
    expect(redeemed.headers.get("access-control-allow-origin")).toBe("https://spa.example");
    expect(redeemed.headers.get("access-control-expose-headers")).toContain("DPoP-Nonce");
    expect((await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hash(redeemed.json.refresh_token) } })).dpopJkt).toBe(key.jkt);

    const userinfo = await resource("/oauth/userinfo", redeemed.json.access_token, { key });
    expect(userinfo.status).toBe(200);
    expect(userinfo.json.sub).toBe("00uDpopUser");
    const userinfoBearer = await resource("/oauth/userinfo", redeemed.json.access_token, { scheme: "Bearer" });
    expect(userinfoBearer.status).toBe(401);
    expect(userinfoBearer.headers.get("www-authenticate")).toMatch(/^DPoP /);

    const refresh = (withKey?: ProofKeyPair) =>
      tokenRequest({ grant_type: "refresh_token", refresh_token: redeemed.json.refresh_token, client_id: spa.clientId }, { key: withKey, nonce });
    expect((await refresh()).json.error).toBe("invalid_grant");
    expect((await refresh(await proofKeyPair("ES256"))).json.error).toBe("invalid_grant");
    const refreshed = await refresh(key); // the refusals above did not use the refresh token up
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.token_type).toBe("DPoP");
    expect((await db.accessToken.findUniqueOrThrow({ where: { tokenHash: hash(refreshed.json.access_token) } })).dpopJkt).toBe(key.jkt);
  });

  it("a code bound to a key (dpop_jkt, RFC 9449 §10) is redeemed only with a proof of that key", async () => {
    const key = await proofKeyPair("ES256");
    const nonce = await tokenNonce(key);
    const redeem = async (withKey?: ProofKeyPair) => {
      const verifier = randomBytes(32).toString("base64url");
      const code = await codeFor(spa, verifier, key.jkt);
      const answer = await tokenRequest(
        { grant_type: "authorization_code", code, redirect_uri: "https://spa.example/cb", code_verifier: verifier, client_id: spa.clientId },
        { key: withKey, nonce },
      );
      return { answer, code: await db.authorizationCode.findUniqueOrThrow({ where: { codeHash: hash(code) } }) };
    };
    for (const withKey of [undefined, await proofKeyPair("ES256")]) {
      const { answer, code } = await redeem(withKey);
      expect([answer.status, answer.json.error]).toEqual([400, "invalid_grant"]);
      expect(await db.accessToken.count({ where: { authCodeId: code.id } })).toBe(0);
    }
    const { answer } = await redeem(key);
    expect(answer.status).toBe(200);
    expect((await db.accessToken.findUniqueOrThrow({ where: { tokenHash: hash(answer.json.access_token) } })).dpopJkt).toBe(key.jkt);
  });

  it("a confidential client's refresh token stays unbound; the new access token binds to the refresh request's key", async () => {
    const first = await proofKeyPair("ES256");
    const nonce = await tokenNonce(first);
    const verifier = randomBytes(32).toString("base64url");
    const redeemed = await tokenRequest(
      { grant_type: "authorization_code", code: await codeFor(app, verifier), redirect_uri: "https://spa.example/cb", code_verifier: verifier },
      { auth: app, key: first, nonce },
    );
    expect(redeemed.json.token_type).toBe("DPoP");
    expect((await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hash(redeemed.json.refresh_token) } })).dpopJkt).toBeNull();
    const second = await proofKeyPair("EdDSA");
    const refreshed = await tokenRequest({ grant_type: "refresh_token", refresh_token: redeemed.json.refresh_token }, { auth: app, key: second, nonce });
    expect(refreshed.status).toBe(200);
    expect((await db.accessToken.findUniqueOrThrow({ where: { tokenHash: hash(refreshed.json.access_token) } })).dpopJkt).toBe(second.jkt);
  });

  it("an app that requires DPoP refuses token requests without a proof", async () => {
    const strict = await newApp("dpop-required");
    expect((await api(admin, "PATCH", `/apps/${strict.id}/settings`, { dpopBoundAccessTokens: true })).status).toBe(200);
    const refused = await tokenRequest({ grant_type: "client_credentials" }, { auth: strict });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe("invalid_dpop_proof");
    const key = await proofKeyPair("ES256");
    const issued = await tokenRequest({ grant_type: "client_credentials" }, { auth: strict, key, nonce: await tokenNonce(key) });
    expect(issued.status).toBe(200);
    expect(issued.json.token_type).toBe("DPoP");
  });

  it("answers the CORS preflight of a token request carrying DPoP", async () => {
    const res = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "OPTIONS",
      headers: { origin: "https://spa.example", "access-control-request-method": "POST", "access-control-request-headers": "dpop" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://spa.example");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("dpop");
  });
});
