// The token, introspection and revocation endpoints and the metadata document (RFC 6749,
// 7636, 7662, 7009, 8414) against the real server, driven by an independent strict client (oauth4webapi)
// where it applies and by raw HTTP where the test is about malformed requests.
import { createHash, randomBytes } from "node:crypto";
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { issueAuthorizationCode } from "../../lib/oauth/codes.ts";
import { configuredBackends, sqliteBackend } from "../harness/backends.ts";
import type { RunningGatehouse } from "../harness/gatehouse.ts";
import { openKeptIdToken, startSystem } from "../harness/system.ts";
import { readOktaSeed, type apiCaller, type Caller } from "../harness/portal-setup.ts";

describe.each(configuredBackends())("OAuth token endpoint on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let stop: () => Promise<void>;
  let db: Database;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let app: { id: string; clientId: string; secret: string };
  let other: { id: string; clientId: string; secret: string };
  let as: oauth.AuthorizationServer;

  const form = (params: Record<string, string>, auth?: { id: string; secret: string }, extra: Record<string, string> = {}) =>
    fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(auth ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.id)}:${encodeURIComponent(auth.secret)}`).toString("base64")}` } : {}),
        ...extra,
      },
      body: new URLSearchParams(params),
    }).then(async (r) => ({ status: r.status, json: await r.json().catch(() => null), headers: r.headers }));
  const clientOf = (a: { clientId: string }): oauth.Client => ({ client_id: a.clientId });
  const opts = { [oauth.allowInsecureRequests]: true } as const;

  async function newApp(name: string, products: string[], extra: Record<string, unknown> = {}) {
    const created = await api(developer, "POST", "/apps", { name, products, redirectUris: ["https://client.example/cb"], ...extra });
    expect(created.status).toBe(201);
    return { id: created.json.app.id as string, clientId: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
  }

  beforeAll(async () => {
    ({ gatehouse, db, api, admin, developer, stop } = await startSystem(backend));
    const product = await api(admin, "POST", "/products", {
      slug: "orders",
      name: "Orders",
      scopes: ["orders:read", "orders:write"],
      approvalType: "auto",
      accessTokenTtlSeconds: 600,
    });
    expect(product.status).toBe(201);
    app = await newApp("token-app", ["orders", "echo"]);
    other = await newApp("other-app", ["echo"]);
    as = await oauth.processDiscoveryResponse(new URL(gatehouse.url), await oauth.discoveryRequest(new URL(gatehouse.url), { algorithm: "oauth2", ...opts }));
  }, 120_000);
  afterAll(async () => {
    await stop?.();
  });

  it("publishes RFC 8414 metadata a strict client accepts", () => {
    expect(as.issuer).toBe(gatehouse.url);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(as.token_endpoint).toBe(`${gatehouse.url}/oauth/token`);
    expect(as.response_types_supported).toEqual(["code", "token"]);
    expect(as.response_modes_supported).toEqual(["query", "fragment", "form_post"]);
    expect(as.jwks_uri).toBe(`${gatehouse.url}/oauth/jwks`);
  });

  it("issues client-credentials tokens with the approved products' scopes, never cached, hashed at rest", async () => {
    const res = await oauth.clientCredentialsGrantRequest(as, clientOf(app), oauth.ClientSecretBasic(app.secret), new URLSearchParams({ scope: "orders:read" }), opts);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("pragma")).toBe("no-cache");
    const tokens = await oauth.processClientCredentialsResponse(as, clientOf(app), res);
    expect(tokens.access_token).toMatch(/^gth_at_[A-Za-z0-9_-]{43}$/);
    expect(tokens.expires_in).toBe(600); // the shortest product lifetime wins
    expect(tokens.scope).toBe("orders:read");
    const stored = await db.accessToken.findFirst({ where: { appId: app.id }, orderBy: { createdAt: "desc" } });
    expect(stored!.tokenHash).toBe(createHash("sha256").update(tokens.access_token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(tokens.access_token);
  });

  it("refuses scopes beyond the approved products and grants the app may not use", async () => {
    expect((await form({ grant_type: "client_credentials", scope: "admin:everything" }, { id: app.clientId, secret: app.secret })).json.error).toBe("invalid_scope");
    expect((await form({ grant_type: "password", username: "u", password: "p" }, { id: app.clientId, secret: app.secret })).json.error).toBe("unauthorized_client");
    expect((await form({ grant_type: "urn:ietf:params:oauth:grant-type:device_code" }, { id: app.clientId, secret: app.secret })).json.error).toBe("unsupported_grant_type");
    const publicApp = await newApp("public-app", ["echo"], { type: "public" });
    const cc = await form({ grant_type: "client_credentials", client_id: publicApp.clientId });
    expect([400, 401]).toContain(cc.status);
    expect(["unauthorized_client", "invalid_client"]).toContain(cc.json.error);
  });

  it("authenticates clients strictly", async () => {
    const bad = await form({ grant_type: "client_credentials" }, { id: app.clientId, secret: "gth_cs_wrong" });
    expect(bad.status).toBe(401);
    expect(bad.json.error).toBe("invalid_client");
    expect(bad.headers.get("www-authenticate")).toMatch(/^Basic/);
    const both = await form({ grant_type: "client_credentials", client_secret: app.secret }, { id: app.clientId, secret: app.secret });
    expect(both.json.error).toBe("invalid_request");
    const inQuery = await fetch(`${gatehouse.url}/oauth/token?client_secret=${app.secret}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&client_id=${app.clientId}`,
    });
    expect(inQuery.status).toBe(400);
    expect((await inQuery.json()).error).toBe("invalid_request");
    const repeated = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&grant_type=client_credentials&client_id=${app.clientId}&client_secret=${app.secret}`,
    });
    expect((await repeated.json()).error).toBe("invalid_request");
    const post = await form({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.secret });
    expect(post.status).toBe(200);
    const unknown = await form({ grant_type: "client_credentials" }, { id: "gth_ci_unknown", secret: "x" });
    expect(unknown.json.error).toBe("invalid_client");
  });

  it("reads only the parameters each grant declares: unknown ones ignored, missing or malformed ones refused", async () => {
    const auth = { id: app.clientId, secret: app.secret };
    const ignored = await form({ grant_type: "client_credentials", scope: "orders:read", resource: "https://elsewhere.example", foo: "bar" }, auth);
    expect(ignored.status).toBe(200);
    expect(ignored.json.scope).toBe("orders:read");
    for (const [params, missing] of [
      [{ grant_type: "authorization_code", code: "gth_ac_x" }, "redirect_uri"],
      [{ grant_type: "authorization_code", code: "", redirect_uri: "https://client.example/cb" }, "code"], // empty is absent (RFC 6749 §3.1)
      [{ grant_type: "refresh_token" }, "refresh_token"],
      [{}, "grant_type"],
    ] as const) {
      const res = await form(params, auth);
      expect(res.json.error, JSON.stringify(params)).toBe("invalid_request");
      expect(res.json.error_description).toContain(missing);
    }
    expect((await form({ grant_type: "authorization_code", code: "gth_ac_x", redirect_uri: "https://client.example/cb", code_verifier: "too-short" }, auth)).json.error).toBe(
      "invalid_request",
    );
    expect((await form({ grant_type: "client_credentials", scope: 'orders:"read' }, auth)).json.error).toBe("invalid_scope");
    // a JWT assertion is not a method offered here: refused, not silently ignored
    const assertion = await form({
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: "e30.e30.x",
    });
    expect(assertion.status).toBe(401);
    expect(assertion.json.error).toBe("invalid_client");
  });

  it("decodes form-encoded Basic credentials (':%+')", async () => {
    // client_ids are URL-safe; the encoding matters for the secret part, which is checked
    const raw = `${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.secret)}`.replace(/%20/g, "+");
    const ok = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(raw).toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    expect(ok.status).toBe(200);
    const tricky = `${app.clientId}:${encodeURIComponent("a:b%c+d")}`;
    const res = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(tricky).toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    expect(res.status).toBe(401);
  });

  it("throttles repeated bad secrets for one client from one address", async () => {
    const victim = await newApp("brute-target", ["echo"]);
    let status = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 25 && status !== 429; i++) {
      const res = await form({ grant_type: "client_credentials" }, { id: victim.clientId, secret: `gth_cs_guess${i}` });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await form({ grant_type: "client_credentials" }, { id: victim.clientId, secret: victim.secret })).status).toBe(429); // even the right one, from this address (other addresses: brute-force.test.ts)
    expect((await form({ grant_type: "client_credentials" }, { id: app.clientId, secret: app.secret })).status).toBe(200); // others unaffected
  });

  describe("authorization code (token side)", () => {
    const verifier = () => randomBytes(32).toString("base64url");
    const challenge = (v: string) => createHash("sha256").update(v).digest("base64url");
    async function code(options: { challenge?: string | null; appId?: string; credentialClientId?: string; expiresAgoMs?: number } = {}) {
      const credential = await db.credential.findUniqueOrThrow({ where: { clientId: options.credentialClientId ?? app.clientId } });
      return issueAuthorizationCode(
        db,
        {
          appId: options.appId ?? app.id,
          credentialId: credential.id,
          userSub: "00uEndUser",
          redirectUri: "https://client.example/cb",
          scope: "orders:read",
          codeChallenge: options.challenge === undefined ? null : options.challenge,
          codeChallengeMethod: options.challenge ? "S256" : null,
          nonce: null,
          idTokenRecordId: null,
        },
        options.expiresAgoMs ? new Date(Date.now() - 60_000 - options.expiresAgoMs) : new Date(),
      );
    }
    const redeem = (c: string, extra: Record<string, string> = {}, who = app) =>
      form({ grant_type: "authorization_code", code: c, redirect_uri: "https://client.example/cb", ...extra }, { id: who.clientId, secret: who.secret });

    it("redeems a PKCE code once; a replay fails and revokes what the first produced", async () => {
      const v = verifier();
      const c = await code({ challenge: challenge(v) });
      const first = await redeem(c, { code_verifier: v });
      expect(first.status).toBe(200);
      expect(first.json.refresh_token).toMatch(/^gth_rt_/);
      const replay = await redeem(c, { code_verifier: v });
      expect(replay.json.error).toBe("invalid_grant");
      const introspected = await introspect(first.json.access_token, app);
      expect(introspected.active).toBe(false);
      expect((await db.refreshToken.findFirst({ where: { tokenHash: createHash("sha256").update(first.json.refresh_token).digest("hex") } }))!.revokedAt).not.toBeNull();
    });

    it("lets exactly one of two concurrent redemptions win", async () => {
      const v = verifier();
      const c = await code({ challenge: challenge(v) });
      const results = await Promise.all([redeem(c, { code_verifier: v }), redeem(c, { code_verifier: v })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    });

    it("checks the verifier", async () => {
      const v = verifier();
      expect((await redeem(await code({ challenge: challenge(v) }), { code_verifier: verifier() })).json.error).toBe("invalid_grant");
      expect((await redeem(await code({ challenge: challenge(v) }))).json.error).toBe("invalid_grant");
      expect((await redeem(await code({ challenge: null }), { code_verifier: v })).json.error).toBe("invalid_grant");
    });

    it("refuses an expired code, another client's code and another redirect URI", async () => {
      expect((await redeem(await code({ expiresAgoMs: 1000 }))).json.error).toBe("invalid_grant");
      expect((await redeem(await code(), {}, other)).json.error).toBe("invalid_grant");
      expect((await redeem(await code(), { redirect_uri: "https://client.example/cb/x" })).json.error).toBe("invalid_grant");
    });
  });

  describe("refresh tokens", () => {
    async function family() {
      const credential = await db.credential.findUniqueOrThrow({ where: { clientId: app.clientId } });
      const c = await issueAuthorizationCode(db, {
        appId: app.id,
        credentialId: credential.id,
        userSub: "00uRefresher",
        redirectUri: "https://client.example/cb",
        scope: "orders:read orders:write",
        codeChallenge: null,
        codeChallengeMethod: null,
        nonce: null,
        idTokenRecordId: null,
      });
      return (await form({ grant_type: "authorization_code", code: c, redirect_uri: "https://client.example/cb" }, { id: app.clientId, secret: app.secret })).json;
    }
    const refresh = (token: string, extra: Record<string, string> = {}) =>
      form({ grant_type: "refresh_token", refresh_token: token, ...extra }, { id: app.clientId, secret: app.secret });

    it("rotates; replaying the old token kills the whole family", async () => {
      const t1 = await family();
      const r2 = await refresh(t1.refresh_token);
      expect(r2.status).toBe(200);
      const userinfo = () => fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${r2.json.access_token}` } }).then((r) => r.status);
      expect(await userinfo()).toBe(200); // now cached by the gateway-side validator
      expect(r2.json.refresh_token).not.toBe(t1.refresh_token);
      const replay = await refresh(t1.refresh_token);
      expect(replay.json.error).toBe("invalid_grant");
      expect((await refresh(r2.json.refresh_token)).json.error).toBe("invalid_grant");
      expect((await introspect(r2.json.access_token, app)).active).toBe(false);
      expect((await introspect(t1.access_token, app)).active).toBe(false);
      expect(await userinfo()).toBe(401); // the cache heard of the family's revocation
    });

    it("lets exactly one of two parallel refreshes succeed", async () => {
      const t1 = await family();
      const results = await Promise.all([refresh(t1.refresh_token), refresh(t1.refresh_token)]);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    });

    it("narrows but never widens the scope", async () => {
      const t1 = await family();
      const narrowed = await refresh(t1.refresh_token, { scope: "orders:read" });
      expect(narrowed.json.scope).toBe("orders:read");
      expect((await refresh(narrowed.json.refresh_token, { scope: "orders:read orders:write" })).json.error).toBe("invalid_scope");
    });
  });

  async function introspect(token: string, who: { clientId: string; secret: string }) {
    const res = await fetch(`${gatehouse.url}/oauth/introspect`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${who.clientId}:${who.secret}`).toString("base64")}` },
      body: new URLSearchParams({ token }),
    });
    return res.json();
  }

  describe("introspection and revocation", () => {
    it("introspects own tokens through a strict client; others, garbage and revoked ones are just inactive", async () => {
      const tokens = await oauth.processClientCredentialsResponse(
        as,
        clientOf(app),
        await oauth.clientCredentialsGrantRequest(as, clientOf(app), oauth.ClientSecretBasic(app.secret), new URLSearchParams(), opts),
      );
      const res = await oauth.introspectionRequest(as, clientOf(app), oauth.ClientSecretBasic(app.secret), tokens.access_token, opts);
      const claims = await oauth.processIntrospectionResponse(as, clientOf(app), res);
      expect(claims).toMatchObject({ active: true, client_id: app.clientId, token_type: "Bearer", iss: gatehouse.url });
      expect(await introspect(tokens.access_token, other)).toEqual({ active: false });
      expect(await introspect("gth_at_garbage", app)).toEqual({ active: false });
      const noAuth = await fetch(`${gatehouse.url}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      expect(noAuth.status).toBe(401);

      // another client cannot revoke it; unknown tokens revoke "fine"
      const foreign = await oauth.revocationRequest(as, clientOf(other), oauth.ClientSecretBasic(other.secret), tokens.access_token, opts);
      expect(foreign.status).toBe(200);
      expect((await introspect(tokens.access_token, app)).active).toBe(true);
      const unknown = await oauth.revocationRequest(as, clientOf(app), oauth.ClientSecretBasic(app.secret), "gth_at_never_issued", opts);
      expect(unknown.status).toBe(200);
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, clientOf(app), oauth.ClientSecretBasic(app.secret), tokens.access_token, opts));
      expect(await introspect(tokens.access_token, app)).toEqual({ active: false });
    });

    it("require token and ignore parameters they do not take", async () => {
      const basic = `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}`;
      const post = (path: string, params: Record<string, string>) =>
        fetch(`${gatehouse.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
          body: new URLSearchParams(params),
        }).then(async (r) => ({ status: r.status, json: await r.json() }));
      for (const path of ["/oauth/introspect", "/oauth/revoke"]) {
        const missing = await post(path, { token_type_hint: "access_token" });
        expect(missing.status, path).toBe(400);
        expect(missing.json.error).toBe("invalid_request");
      }
      expect((await post("/oauth/introspect", { token: "gth_at_garbage", token_type_hint: "not_a_kind", foo: "bar" })).json).toEqual({ active: false });
      expect((await post("/oauth/revoke", { token: "gth_at_garbage", token_type_hint: "not_a_kind", foo: "bar" })).status).toBe(200);
    });

    it("stops a credential's tokens when the credential is revoked in the portal", async () => {
      const fresh = await newApp("revoked-later", ["echo"]);
      const token = (await form({ grant_type: "client_credentials" }, { id: fresh.clientId, secret: fresh.secret })).json.access_token;
      const rotated = await api(developer, "POST", `/apps/${fresh.id}/credentials`);
      const second = { ...fresh, clientId: rotated.json.clientId, secret: rotated.json.clientSecret };
      const credential = await db.credential.findUniqueOrThrow({ where: { clientId: fresh.clientId } });
      expect((await introspect(token, second)).active).toBe(true);
      await api(admin, "DELETE", `/apps/${fresh.id}/credentials/${credential.id}`);
      expect((await introspect(token, second)).active).toBe(false);
      expect((await form({ grant_type: "client_credentials" }, { id: fresh.clientId, secret: fresh.secret })).json.error).toBe("invalid_client");
    });
  });
  describe("password grant, mode okta_token (external tokens)", () => {
    const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

    it("keeps Okta's own password-grant token as an external token bound to the app (mode okta_token)", async () => {
      const seed = readOktaSeed(gatehouse);
      const created = await api(developer, "POST", "/apps", { name: "okta-token-app", products: ["orders", "echo"] });
      const { clientId, clientSecret } = created.json.credential;
      const appId = created.json.app.id as string;
      expect((await api(admin, "PATCH", `/apps/${appId}/settings`, { passwordGrantMode: "okta_token" })).status).toBe(200);
      const password = (username: string, pass: string) => form({ grant_type: "password", username, password: pass, scope: "orders:read" }, { id: clientId, secret: clientSecret });

      const ok = await password(seed.users.developer.login, seed.users.developer.password);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("cache-control")).toBe("no-store");
      const token = ok.json.access_token as string;
      expect(token).not.toMatch(/^gth_/); // Okta minted it: a JWT from Okta's authorization server
      expect(JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString())).toMatchObject({
        iss: expect.stringMatching(/\/oauth2\/default$/),
        uid: seed.users.developer.id,
      });
      expect(ok.json).toMatchObject({ token_type: "Bearer", scope: "orders:read" });
      expect(ok.json.refresh_token).toBeUndefined();

      // stored only as a hash, bound to the app, the credential and the user, with the id token kept encrypted
      const stored = await db.externalToken.findUnique({ where: { tokenHash: createHash("sha256").update(token).digest("hex") } });
      expect(stored).toMatchObject({ appId, userSub: seed.users.developer.id, scope: "orders:read", issuer: expect.stringMatching(/\/oauth2\/default$/), revokedAt: null });
      expect(stored!.credentialId).toBe((await db.credential.findUnique({ where: { clientId } }))!.id);
      expect(JSON.stringify(stored)).not.toContain(token);
      // kept encrypted: it opens with the server's key into Okta's id token for this user, which the stored text does not contain
      const record = await db.idTokenRecord.findUnique({ where: { id: stored!.idTokenRecordId! } });
      const kept = openKeptIdToken(gatehouse, record!.ciphertext, seed.users.developer.id);
      expect(kept.claims).toMatchObject({ sub: seed.users.developer.id });
      expect(record!.ciphertext).not.toContain(kept.jwt.split(".")[1]!);

      // recognised as if Gatehouse had issued it: userinfo (with the id token's claims) and introspection
      const userinfo = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
      expect(await userinfo.json()).toMatchObject({ sub: seed.users.developer.id, email: seed.users.developer.login });
      const introspectAt = (path: string) =>
        fetch(`${gatehouse.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(clientId, clientSecret) },
          body: new URLSearchParams({ token }),
        });
      expect(await (await introspectAt("/oauth/introspect")).json()).toMatchObject({ active: true, client_id: clientId, scope: "orders:read", sub: seed.users.developer.id });
      // another app learns nothing about it
      const foreign = await fetch(`${gatehouse.url}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(other.clientId, other.secret) },
        body: new URLSearchParams({ token }),
      });
      expect(await foreign.json()).toEqual({ active: false });

      // wrong password: the same invalid_grant as mode okta_authn; MFA users are refused by Okta's policy
      const wrong = await password(seed.users.developer.login, "not-the-password");
      const unknown = await password("nobody@example.com", "not-the-password");
      expect(wrong.status).toBe(400);
      expect(wrong.json).toEqual(unknown.json);
      expect(wrong.json.error).toBe("invalid_grant");
      const mfa = await password(seed.users.mfa.login, seed.users.mfa.password);
      expect(mfa.json.error).toBe("invalid_grant");
      expect(mfa.json.error_description).toMatch(/multi-factor/);
      expect(await db.externalToken.count({ where: { appId } })).toBe(1); // failures stored nothing

      // the admin revokes the credential: the external token stops working at once
      const credentialId = stored!.credentialId!;
      expect((await api(admin, "DELETE", `/apps/${appId}/credentials/${credentialId}`)).status).toBeLessThan(300);
      expect((await db.externalToken.findUnique({ where: { id: stored!.id } }))!.revokedAt).not.toBeNull();
      expect((await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    });

    it("revokes an external token at /oauth/revoke (RFC 7009)", async () => {
      const seed = readOktaSeed(gatehouse);
      const created = await api(developer, "POST", "/apps", { name: "okta-token-revoke", products: ["echo"] });
      const { clientId, clientSecret } = created.json.credential;
      expect((await api(admin, "PATCH", `/apps/${created.json.app.id}/settings`, { passwordGrantMode: "okta_token" })).status).toBe(200);
      const issued = await form({ grant_type: "password", username: seed.users.developer.login, password: seed.users.developer.password }, { id: clientId, secret: clientSecret });
      const token = issued.json.access_token as string;
      const post = (path: string) =>
        fetch(`${gatehouse.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(clientId, clientSecret) },
          body: new URLSearchParams({ token }),
        });
      expect((await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200); // cached as valid
      expect((await post("/oauth/revoke")).status).toBe(200);
      expect(await (await post("/oauth/introspect")).json()).toEqual({ active: false });
      expect((await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401); // the cache heard of it
      expect((await db.externalToken.findFirst({ where: { appId: created.json.app.id } }))!.revokedAt).not.toBeNull();
    });
  });

  describe("JWT access tokens (RFC 9068)", () => {
    it("issues JWTs for a product that asks for them, verifiable against /oauth/jwks; introspection and revocation still work", async () => {
      expect(as.jwks_uri).toBe(`${gatehouse.url}/oauth/jwks`);
      const jwksRes = await fetch(as.jwks_uri!);
      expect(jwksRes.status).toBe(200);
      expect(jwksRes.headers.get("cache-control")).toContain("max-age");
      const jwksBody = (await jwksRes.json()) as { keys: Array<Record<string, unknown>> };
      expect(jwksBody.keys).toHaveLength(1);
      expect(jwksBody.keys[0]).not.toHaveProperty("d");
      const stored = await db.signingKey.findMany();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.privateKeyCiphertext).toMatch(/^v1\./);

      // a developer cannot make a product issue JWTs; an admin can, through the management API
      expect((await api(developer, "POST", "/products", { slug: "ledger-dev", name: "L", accessTokenFormat: "jwt" })).status).toBe(403);
      const product = await api(admin, "POST", "/products", { slug: "ledger", name: "Ledger", scopes: ["ledger:read"], accessTokenFormat: "jwt", accessTokenTtlSeconds: 300 });
      expect(product.status).toBe(201);
      expect(product.json.accessTokenFormat).toBe("jwt");
      const bad = await api(admin, "PATCH", `/products/${product.json.id}`, { accessTokenFormat: "paseto" });
      expect(bad.status).toBe(400);
      const jwtApp = await newApp("jwt-app", ["ledger", "echo"]);

      const res = await oauth.clientCredentialsGrantRequest(as, clientOf(jwtApp), oauth.ClientSecretBasic(jwtApp.secret), new URLSearchParams({ scope: "ledger:read" }), opts);
      const tokens = await oauth.processClientCredentialsResponse(as, clientOf(jwtApp), res);
      expect(tokens.expires_in).toBe(300);
      const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { typ: "at+jwt", issuer: gatehouse.url, audience: "ledger", algorithms: ["RS256"] });
      expect(protectedHeader.kid).toBe(jwksBody.keys[0]!.kid);
      expect(payload).toMatchObject({ iss: gatehouse.url, sub: jwtApp.clientId, client_id: jwtApp.clientId, scope: "ledger:read" });
      expect([...(payload.aud as string[])].sort()).toEqual(["echo", "ledger"]);
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(typeof payload.jti).toBe("string");
      const row = await db.accessToken.findUniqueOrThrow({ where: { tokenHash: createHash("sha256").update(tokens.access_token).digest("hex") } });
      expect(JSON.stringify(row)).not.toContain(tokens.access_token);

      // introspection and revocation through the strict client, exactly as for opaque tokens
      const introspected = await oauth.processIntrospectionResponse(
        as,
        clientOf(jwtApp),
        await oauth.introspectionRequest(as, clientOf(jwtApp), oauth.ClientSecretBasic(jwtApp.secret), tokens.access_token, opts),
      );
      expect(introspected).toMatchObject({ active: true, client_id: jwtApp.clientId, scope: "ledger:read" });
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, clientOf(jwtApp), oauth.ClientSecretBasic(jwtApp.secret), tokens.access_token, opts));
      expect(await introspect(tokens.access_token, jwtApp)).toEqual({ active: false });
      expect((await db.accessToken.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();

      // an app on opaque products only keeps opaque tokens; switching its product to jwt applies at once
      const opaqueTokens = await form({ grant_type: "client_credentials" }, { id: other.clientId, secret: other.secret });
      expect(opaqueTokens.json.access_token).toMatch(/^gth_at_/);
      const echo = await api(admin, "GET", "/products/echo");
      expect(echo.json.accessTokenFormat).toBe("opaque");
      expect((await api(admin, "PATCH", `/products/${echo.json.id}`, { accessTokenFormat: "jwt" })).status).toBe(200);
      try {
        const now = await form({ grant_type: "client_credentials" }, { id: other.clientId, secret: other.secret });
        expect(decodeProtectedHeader(now.json.access_token).typ).toBe("at+jwt");
      } finally {
        expect((await api(admin, "PATCH", `/products/${echo.json.id}`, { accessTokenFormat: "opaque" })).status).toBe(200);
      }
    });

    it("keeps authorization code, refresh and userinfo working with JWTs (independent client)", async () => {
      const jwtApp = await newApp("jwt-code-app", ["ledger"]);
      const credential = await db.credential.findUniqueOrThrow({ where: { clientId: jwtApp.clientId } });
      const verifier = oauth.generateRandomCodeVerifier();
      const c = await issueAuthorizationCode(db, {
        appId: jwtApp.id,
        credentialId: credential.id,
        userSub: "00uJwtUser",
        redirectUri: "https://client.example/cb",
        scope: "ledger:read",
        codeChallenge: await oauth.calculatePKCECodeChallenge(verifier),
        codeChallengeMethod: "S256",
        nonce: null,
        idTokenRecordId: null,
      });
      const callback = new URL(`https://client.example/cb?code=${c}&iss=${encodeURIComponent(gatehouse.url)}`);
      const params = oauth.validateAuthResponse(as, clientOf(jwtApp), callback, oauth.expectNoState);
      const res = await oauth.authorizationCodeGrantRequest(as, clientOf(jwtApp), oauth.ClientSecretBasic(jwtApp.secret), params, "https://client.example/cb", verifier, opts);
      const tokens = await oauth.processAuthorizationCodeResponse(as, clientOf(jwtApp), res);
      const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
      expect((await jwtVerify(tokens.access_token, jwks, { typ: "at+jwt", issuer: gatehouse.url, audience: "ledger" })).payload.sub).toBe("00uJwtUser");
      expect(tokens.refresh_token).toMatch(/^gth_rt_/);
      const userinfo = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(await userinfo.json()).toEqual({ sub: "00uJwtUser" });
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        clientOf(jwtApp),
        await oauth.refreshTokenGrantRequest(as, clientOf(jwtApp), oauth.ClientSecretBasic(jwtApp.secret), tokens.refresh_token!, opts),
      );
      expect((await jwtVerify(refreshed.access_token, jwks, { typ: "at+jwt", issuer: gatehouse.url })).payload.sub).toBe("00uJwtUser");
      expect(refreshed.access_token).not.toBe(tokens.access_token);
    });
  });
});

describe("tokens at work", () => {
  let gatehouse: RunningGatehouse;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller;
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const clientCredentials = async (id: string, secret: string, scope?: string) =>
    await (
      await fetch(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(id, secret) },
        body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
      })
    ).json();

  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ gatehouse, api, admin, developer, stop } = await startSystem(sqliteBackend));
  }, 120_000);
  afterAll(() => stop?.());

  it("lets an admin's automation app call the management API with a gatehouse:admin token", async () => {
    const created = await api(admin, "POST", "/apps", { name: "ci-robot", products: ["gatehouse-management"] });
    expect(created.status).toBe(201);
    const sub = created.json.app.subscriptions[0];
    expect(sub.status).toBe("pending");
    await api(admin, "POST", `/subscriptions/${sub.id}/decision`, { decision: "approve" });
    const { access_token } = await clientCredentials(created.json.credential.clientId, created.json.credential.clientSecret, "gatehouse:admin");
    const list = await fetch(`${gatehouse.url}/api/v1/developers`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(list.status).toBe(200);
    // a developer's app cannot even ask for the scope (private product), and a token without it is refused
    const devApp = await api(developer, "POST", "/apps", { name: "sneaky", products: ["gatehouse-management"] });
    expect(devApp.status).toBe(400);
    const plain = await api(developer, "POST", "/apps", { name: "plain", products: ["echo"] });
    const plainToken = (await clientCredentials(plain.json.credential.clientId, plain.json.credential.clientSecret)).access_token;
    expect((await fetch(`${gatehouse.url}/api/v1/developers`, { headers: { authorization: `Bearer ${plainToken}` } })).status).toBe(401);
  });

  it("runs the password grant only where an admin enabled it, with Okta checking the password", async () => {
    const seed = readOktaSeed(gatehouse);
    const created = await api(developer, "POST", "/apps", { name: "legacy-app", products: ["echo"] });
    const { clientId, clientSecret } = created.json.credential;
    const password = (username: string, pass: string) =>
      fetch(`${gatehouse.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(clientId, clientSecret) },
        body: new URLSearchParams({ grant_type: "password", username, password: pass }),
      }).then(async (r) => ({ status: r.status, body: await r.text(), headers: r.headers }));
    expect(JSON.parse((await password(seed.users.developer.login, seed.users.developer.password)).body).error).toBe("unauthorized_client");
    expect((await api(admin, "PATCH", `/apps/${created.json.app.id}/settings`, { passwordGrantMode: "okta_authn" })).status).toBe(200);

    const ok = await password(seed.users.developer.login, seed.users.developer.password);
    expect(ok.status).toBe(200);
    const token = JSON.parse(ok.body).access_token as string;
    const userinfo = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    expect(await userinfo.json()).toEqual({ sub: seed.users.developer.id });

    const wrongPassword = await password(seed.users.developer.login, "not-the-password");
    const unknownUser = await password("nobody@example.com", "not-the-password");
    expect(wrongPassword.status).toBe(400);
    expect(unknownUser.status).toBe(wrongPassword.status);
    expect(unknownUser.body).toBe(wrongPassword.body); // nothing tells them apart
    const mfa = JSON.parse((await password(seed.users.mfa.login, seed.users.mfa.password)).body);
    expect(mfa.error).toBe("invalid_grant");
    expect(mfa.error_description).toMatch(/multi-factor/);

    let throttled = null;
    for (let i = 0; i < 12 && !throttled; i++) {
      const attempt = await password("victim@example.com", `guess-${i}`);
      if (attempt.status === 429) throttled = attempt;
    }
    expect(throttled).not.toBeNull();
    expect(Number(throttled!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers userinfo in RFC 6750's shape", async () => {
    const plain = await api(developer, "POST", "/apps", { name: "userinfo-app", products: ["echo"] });
    const token = (await clientCredentials(plain.json.credential.clientId, plain.json.credential.clientSecret)).access_token;
    const none = await fetch(`${gatehouse.url}/oauth/userinfo`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    const bad = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: "Bearer gth_at_nope" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const inQuery = await fetch(`${gatehouse.url}/oauth/userinfo?access_token=${token}`);
    expect(inQuery.status).toBe(400);
    const machine = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `bEaReR ${token}` } });
    expect(machine.status).toBe(403); // a client-credentials token represents no user
    expect(machine.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});
