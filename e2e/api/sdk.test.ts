// The TypeScript SDK (sdk/) against a running Gatehouse with okta-dev: every grant, refresh
// before expiry, one refresh for a burst of calls across an expiry, typed errors, and the token
// stores. The code + PKCE flow runs through the Node loopback helper, with an HTTP "browser"
// that signs in at okta-dev with a sessionToken.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DPoP, GatehouseClient, MemoryDPoPKeyStore, MemoryTokenStore, OAuthError, ProtocolError, TokenSession, WebStorageTokenStore, type TokenSet } from "../../sdk/src/index.ts";
import { EncryptedFileTokenStore, authorizeWithLoopback } from "../../sdk/src/node/index.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { CookieJar } from "../harness/sign-in.ts";

describe("the TypeScript SDK against Gatehouse", () => {
  let gatehouse: RunningGatehouse;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller;
  let seed: ReturnType<typeof readOktaSeed>;
  let confidential: { id: string; clientId: string; clientSecret: string };
  let publicApp: { id: string; clientId: string };

  /** A browser without a screen: follows the authorization redirects, signing in at okta-dev. */
  async function browse(url: string): Promise<void> {
    const jar = new CookieJar();
    let next: string | null = url;
    for (let hop = 0; next && hop < 10; hop++) {
      const target: URL = new URL(next);
      if (target.pathname.endsWith("/v1/authorize") && !target.searchParams.has("sessionToken")) {
        const authn = await fetch(`${target.origin}/api/v1/authn`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: seed.users.developer.login, password: seed.users.developer.password }),
        });
        target.searchParams.set("sessionToken", ((await authn.json()) as { sessionToken: string }).sessionToken);
      }
      const res = await fetch(target, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.take(res);
      next = res.status >= 300 && res.status < 400 ? new URL(res.headers.get("location")!, target).toString() : null;
      if (!next) expect(res.status).toBe(200); // the loopback page
    }
  }

  beforeAll(async () => {
    // resources ask for DPoP nonces too, so the SDK's retry at a resource runs against the real server
    gatehouse = await startGatehouse({ DPOP_NONCE_AT_RESOURCES: "true" });
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    seed = readOktaSeed(gatehouse);
    await api(admin, "POST", "/products", { slug: "sdk-short", name: "Short-lived", scopes: ["short:read"], approvalType: "auto", accessTokenTtlSeconds: 60 });
    const made = await api(developer, "POST", "/apps", { name: "sdk-app", products: ["echo", "sdk-short"], redirectUris: ["http://127.0.0.1/callback"] });
    confidential = { id: made.json.app.id, clientId: made.json.credential.clientId, clientSecret: made.json.credential.clientSecret };
    const pub = await api(developer, "POST", "/apps", { name: "sdk-spa", type: "public", products: ["echo"], redirectUris: ["http://127.0.0.1/callback"] });
    publicApp = { id: pub.json.app.id, clientId: pub.json.credential.clientId };
    for (const id of [confidential.id, publicApp.id]) {
      expect((await api(admin, "PATCH", `/apps/${id}/settings`, { skipConsent: true })).status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
  });

  const client = (extra: Partial<ConstructorParameters<typeof GatehouseClient>[0]> = {}) =>
    new GatehouseClient({ issuer: gatehouse.url, clientId: confidential.clientId, clientSecret: confidential.clientSecret, ...extra });

  it("discovers the server and refuses metadata naming another issuer", async () => {
    expect((await client().discover()).token_endpoint).toBe(`${gatehouse.url}/oauth/token`);
    const wrong = new GatehouseClient({ issuer: `${gatehouse.url}/`, clientId: "x" });
    await expect(wrong.discover()).rejects.toMatchObject({ name: "ProtocolError", code: "issuer_mismatch" });
  });

  it("gets client-credentials tokens, introspects and revokes them; a bad secret is a typed invalid_client", async () => {
    const tokens = await client().clientCredentials("echo:read");
    expect(tokens).toMatchObject({ tokenType: "Bearer", scope: "echo:read", accessToken: expect.stringMatching(/^gth_at_/) });
    expect(await client().introspect(tokens.accessToken)).toMatchObject({ active: true, client_id: confidential.clientId });
    await client().revoke(tokens.accessToken);
    expect(await client().introspect(tokens.accessToken)).toEqual({ active: false });
    const bad = await client({ clientSecret: "gth_cs_wrong" })
      .clientCredentials()
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OAuthError);
    expect(bad).toMatchObject({ code: "invalid_client", status: 401 });
  });

  it("runs the password grant where an admin enabled it", async () => {
    const refused = await client()
      .password(seed.users.developer.login, seed.users.developer.password)
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "unauthorized_client" });
    expect((await api(admin, "PATCH", `/apps/${confidential.id}/settings`, { passwordGrantMode: "okta_authn" })).status).toBe(200);
    const tokens = await client().password(seed.users.developer.login, seed.users.developer.password);
    expect(await client().introspect(tokens.accessToken)).toMatchObject({ active: true, sub: seed.users.developer.id });
    await expect(client().password(seed.users.developer.login, "wrong-password")).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("runs authorization code + PKCE through the loopback helper (public client), then refreshes", async () => {
    const spa = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId });
    let opened = "";
    const tokens = await authorizeWithLoopback(spa, {
      scope: "echo:read",
      openBrowser: (url) => {
        opened = url;
        void browse(url);
      },
      timeoutMs: 30_000,
    });
    const request = new URL(opened);
    expect(request.searchParams.get("code_challenge_method")).toBe("S256");
    expect(request.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(tokens.refreshToken).toMatch(/^gth_rt_/);
    const userinfo = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect((await userinfo.json()).sub).toBe(seed.users.developer.id);

    const refreshed = await spa.refresh(tokens.refreshToken!);
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken); // rotated
    // the replayed refresh token is refused with a typed error — and it took the family with it
    await expect(spa.refresh(tokens.refreshToken!)).rejects.toMatchObject({ name: "OAuthError", code: "invalid_grant" });
    await expect(spa.refresh(refreshed.refreshToken!)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("checks state and iss on the callback", async () => {
    const c = client();
    const request = await c.authorizationRequest("http://127.0.0.1:9/callback");
    await expect(c.authorizationCallback(`http://127.0.0.1:9/callback?code=x&state=other&iss=${encodeURIComponent(gatehouse.url)}`, request)).rejects.toMatchObject({
      code: "state_mismatch",
    });
    await expect(c.authorizationCallback(`http://127.0.0.1:9/callback?code=x&state=${request.state}&iss=https%3A%2F%2Fevil.example`, request)).rejects.toMatchObject({
      code: "issuer_mismatch",
    });
    await expect(c.authorizationCallback(`http://127.0.0.1:9/callback?code=x&state=${request.state}`, request)).rejects.toMatchObject({ code: "issuer_mismatch" }); // iss is promised by the metadata
    await expect(
      c.authorizationCallback(`http://127.0.0.1:9/callback?error=access_denied&state=${request.state}&iss=${encodeURIComponent(gatehouse.url)}`, request),
    ).rejects.toMatchObject({ name: "OAuthError", code: "access_denied" });
  });

  it("refreshes once for a burst of 50 calls across an expiry, before the token expires", async () => {
    const spa = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId });
    const tokens = await authorizeWithLoopback(spa, { scope: "echo:read", openBrowser: (url) => void browse(url), timeoutMs: 30_000 });
    let refreshes = 0;
    const counting: typeof fetch = async (input, init) => {
      if (String(input).endsWith("/oauth/token") && String(init?.body).includes("grant_type=refresh_token")) refreshes++;
      return fetch(input, init);
    };
    const counted = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId, fetch: counting });
    const store = new MemoryTokenStore();
    // still valid for 10 s, inside the 30 s refresh margin: due for refresh, not yet expired
    await store.store("spa", { ...tokens, expiresAt: Date.now() + 10_000 });
    const session = new TokenSession({ client: counted, store, name: "spa" });
    const answers = await Promise.all(Array.from({ length: 50 }, () => session.fetch(`${gatehouse.url}/oauth/userinfo`)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(refreshes).toBe(1);
    const stored = (await store.load("spa"))!;
    expect(stored.accessToken).not.toBe(tokens.accessToken);
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 60_000);
  });

  it("retries once after a 401 with a new token, and surfaces a revoked grant as a typed error", async () => {
    const store = new MemoryTokenStore();
    const c = client();
    const session = new TokenSession({ client: c, store, name: "machine", obtain: () => c.clientCredentials("echo:read") });
    expect((await session.fetch(`${gatehouse.url}/oauth/userinfo`)).status).toBe(403); // a valid token that represents no user
    const first = (await store.load("machine"))!.accessToken;
    await c.revoke(first);
    // the revoked token answers 401 at userinfo; the session obtains a fresh one and retries
    const retried = await session.fetch(`${gatehouse.url}/oauth/userinfo`);
    expect(retried.status).toBe(403);
    expect((await store.load("machine"))!.accessToken).not.toBe(first);

    const spa = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId });
    const user = await authorizeWithLoopback(spa, { openBrowser: (url) => void browse(url), timeoutMs: 30_000 });
    const userStore = new MemoryTokenStore();
    await userStore.store("user", user);
    const userSession = new TokenSession({ client: spa, store: userStore, name: "user" });
    await spa.revoke(user.refreshToken!, "refresh_token"); // ends the family: access token too
    const error = await userSession.fetch(`${gatehouse.url}/oauth/userinfo`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: "invalid_grant" });
  });

  // Needs the server side of DPoP: skipped while the server's metadata does not announce it.
  it("with DPoP, binds every grant's tokens to the client's key, answers the servers' nonces, and calls with a proof each time", async (ctx) => {
    const metadata = (await client().discover()) as { dpop_signing_alg_values_supported?: string[] };
    if (!metadata.dpop_signing_alg_values_supported?.includes("ES256")) ctx.skip("the server does not support DPoP yet");
    const answers: { path: string; status: number; nonceAsked: boolean }[] = [];
    const watching: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const nonceAsked =
        res.status === 400 ? ((await res.clone().json()) as { error?: string }).error === "use_dpop_nonce" : /use_dpop_nonce/.test(res.headers.get("www-authenticate") ?? "");
      answers.push({ path: new URL(String(input)).pathname, status: res.status, nonceAsked });
      return res;
    };

    // confidential client, client credentials: the token is DPoP-bound to the key (cnf.jkt)
    const machine = client({ dpop: true, fetch: watching });
    const machineTokens = await machine.clientCredentials("echo:read");
    expect(machineTokens.tokenType).toBe("DPoP");
    expect(answers.filter((a) => a.path === "/oauth/token")).toEqual([
      { path: "/oauth/token", status: 400, nonceAsked: true }, // the first proof had no nonce
      { path: "/oauth/token", status: 200, nonceAsked: false },
    ]);
    expect(await client().introspect(machineTokens.accessToken)).toMatchObject({ active: true, cnf: { jkt: await machine.dpop!.thumbprint() } });

    // public client, code + PKCE through the loopback helper: the code is redeemed with a proof
    answers.length = 0;
    const keyStore = new MemoryDPoPKeyStore();
    const spa = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId, dpop: { keyStore }, fetch: watching });
    const tokens = await authorizeWithLoopback(spa, { scope: "echo:read", openBrowser: (url) => void browse(url), timeoutMs: 30_000 });
    expect(tokens.tokenType).toBe("DPoP");
    const store = new MemoryTokenStore();
    await store.store("user", tokens);
    const session = new TokenSession({ client: spa, store, name: "user", fetch: watching });
    const userinfo = `${gatehouse.url}/oauth/userinfo`;
    const first = await session.fetch(userinfo);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { sub: string }).sub).toBe(seed.users.developer.id);
    expect(answers.filter((a) => a.path === "/oauth/userinfo")).toEqual([
      { path: "/oauth/userinfo", status: 401, nonceAsked: true },
      { path: "/oauth/userinfo", status: 200, nonceAsked: false },
    ]);
    expect((await session.fetch(userinfo)).status).toBe(200); // the nonce is known now: one call
    expect(answers.filter((a) => a.path === "/oauth/userinfo")).toHaveLength(3);

    // a stolen token: useless as a Bearer token, and with another key's proof
    expect((await fetch(userinfo, { headers: { authorization: `Bearer ${tokens.accessToken}` } })).status).toBe(401);
    const thief = new DPoP(new MemoryDPoPKeyStore());
    const stolen = await fetch(userinfo, { headers: { authorization: `DPoP ${tokens.accessToken}`, dpop: await thief.proof("resource", "GET", userinfo, tokens.accessToken) } });
    expect(stolen.status).toBe(401);
    // a public client's refresh token is bound too: refused with another key, good with its own
    const refreshed = await spa.refresh(tokens.refreshToken!);
    expect(refreshed.tokenType).toBe("DPoP");
    const thiefClient = new GatehouseClient({ issuer: gatehouse.url, clientId: publicApp.clientId, dpop: true });
    await expect(thiefClient.refresh(refreshed.refreshToken!)).rejects.toMatchObject({ name: "OAuthError", code: "invalid_grant" });
  });

  it("round-trips token sets through every store; the file is encrypted and private", async () => {
    const set: TokenSet = { accessToken: "gth_at_example", tokenType: "Bearer", expiresAt: 1_900_000_000_000, scope: "a b", refreshToken: "gth_rt_example" };
    const backing = new Map<string, string>();
    const webStorage = {
      getItem: (k: string) => backing.get(k) ?? null,
      setItem: (k: string, v: string) => void backing.set(k, v),
      removeItem: (k: string) => void backing.delete(k),
    };
    const file = join(mkdtempSync(join(tmpdir(), "gatehouse-sdk-")), "tokens.json");
    for (const store of [new MemoryTokenStore(), new WebStorageTokenStore(webStorage), new EncryptedFileTokenStore(file, "correct horse battery staple")]) {
      expect(await store.load("app")).toBeNull();
      await store.store("app", set);
      await store.store("other", { ...set, accessToken: "gth_at_other" });
      expect(await store.load("app")).toEqual(set);
      await store.remove("app");
      expect(await store.load("app")).toBeNull();
      expect((await store.load("other"))!.accessToken).toBe("gth_at_other");
    }
    const raw = readFileSync(file, "utf8");
    expect(raw).not.toContain("gth_at_other");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await new EncryptedFileTokenStore(file, "another secret").load("other")).toBeNull();
    expect(new ProtocolError("no_token", "x").code).toBe("no_token");
  });
});
