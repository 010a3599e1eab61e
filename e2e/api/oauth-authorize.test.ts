// The browser side of the authorization server over real HTTP, without a browser: unknown
// clients and redirect URIs, errors with state and iss, implicit only where enabled, PKCE,
// framing and CORS, Okta's callback checked as a relying party, and the whole authorization code flow
// through okta-dev (sessionToken instead of the login page) up to a code at the client's
// redirect URI — asserting statuses, error codes and what the database holds afterwards.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { CookieJar, signIn } from "../harness/sign-in.ts";
import { openKeptIdToken } from "../harness/system.ts";
import { createDatabaseClient, type Database } from "../../lib/db/index.ts";
import { parseDatabaseUrl } from "../../lib/config/database-url.ts";

const CHALLENGE = createHash("sha256").update("a-verifier-that-is-long-enough-for-pkce-0123456789").digest("base64url");
const CLIENT_CB = "https://client.example/cb";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
/** The parameters of a fragment answer (implicit), and what else the redirect carried. */
const fragmentOf = (location: string) => {
  const url = new URL(location);
  return { base: `${url.origin}${url.pathname}`, search: url.search, params: new URLSearchParams(url.hash.slice(1)) };
};

const without = (params: Record<string, string>, ...names: string[]) => Object.fromEntries(Object.entries(params).filter(([k]) => !names.includes(k)));

describe.each(configuredBackends())("/oauth/authorize on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let seed: { users: Record<string, { login: string; password: string; id: string }> };
  let confidential: { appId: string; clientId: string };
  let publicApp: { appId: string; clientId: string };
  let firstParty: { appId: string; clientId: string };
  let oktaUrl: string;
  let devCookie: string;
  let adminCookie: string;

  const api = async (cookie: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gatehouse.url}/api/v1${path}`, {
      method,
      headers: { origin: gatehouse.url, cookie, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const authorizeUrl = (params: Record<string, string>) => `${gatehouse.url}/oauth/authorize?${new URLSearchParams(params)}`;
  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });
  const codeCount = () => db.authorizationCode.count();
  const good = (clientId: string, extra: Record<string, string> = {}) => ({
    response_type: "code",
    client_id: clientId,
    redirect_uri: CLIENT_CB,
    state: "st-123",
    scope: "echo:read",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    ...extra,
  });

  /** Authorize → Okta (sessionToken) → back at /oauth/callback; returns the callback URL and the browser's cookies. */
  async function throughOkta(params: Record<string, string>, user = "developer") {
    const jar = new CookieJar();
    const start = await get(authorizeUrl(params));
    expect(start.status).toBe(302);
    jar.take(start);
    const toOkta = new URL(start.headers.get("location")!);
    expect(toOkta.origin).toBe(oktaUrl);
    const authn = await fetch(`${oktaUrl}/api/v1/authn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: seed.users[user]!.login, password: seed.users[user]!.password }),
    });
    const { sessionToken } = (await authn.json()) as { sessionToken: string };
    toOkta.searchParams.set("sessionToken", sessionToken);
    const back = await get(toOkta.toString());
    const callback = back.headers.get("location")!;
    expect(callback.startsWith(`${gatehouse.url}/oauth/callback?`)).toBe(true);
    return { callback, jar, toOkta };
  }

  async function consentForm(consentUrl: string, jar: CookieJar) {
    const page = await get(consentUrl, { cookie: jar.header() });
    expect(page.status).toBe(200);
    const html = await page.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
    return { html, id: field("id")!, csrf: field("csrf")! };
  }

  const decide = (jar: CookieJar, form: Record<string, string>, origin = gatehouse.url) =>
    fetch(`${gatehouse.url}/oauth/consent/decision`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form),
    });

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
    db = createDatabaseClient(env.DATABASE_URL ? parseDatabaseUrl(env.DATABASE_URL, process.cwd())! : { kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
    seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    const dev = await signIn(gatehouse.url, seed.users.developer!.login, seed.users.developer!.password);
    oktaUrl = dev.oktaUrl;
    const admin = await signIn(gatehouse.url, seed.users.admin!.login, seed.users.admin!.password);
    devCookie = dev.cookie;
    adminCookie = admin.cookie;
    const create = async (body: Record<string, unknown>) => {
      const res = await api(dev.cookie, "POST", "/apps", { products: ["echo"], ...body });
      expect(res.status).toBe(201);
      return { appId: res.json.app.id as string, clientId: res.json.credential.clientId as string };
    };
    confidential = await create({ name: "Confidential <img src=x onerror=alert(1)>", redirectUris: [CLIENT_CB, "http://127.0.0.1:4000/loop"] });
    publicApp = await create({ name: "Public", type: "public", redirectUris: [CLIENT_CB] });
    firstParty = await create({ name: "First party", redirectUris: [CLIENT_CB] });
    expect((await api(admin.cookie, "PATCH", `/apps/${firstParty.appId}/settings`, { skipConsent: true, implicitEnabled: true })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("shows a 400 page, never a redirect, for an unknown client or an unregistered redirect URI", async () => {
    const before = await codeCount();
    const bad = [
      `${CLIENT_CB}/x`,
      `${CLIENT_CB}?a=1`,
      `${CLIENT_CB}/`,
      "https://client.example.evil.com/cb",
      "https://evil.example/cb",
      "HTTPS://client.example/cb",
      "https://client.example/CB",
      "http://127.0.0.1:4000/loop/x",
      "http://localhost:4000/loop",
      // a loopback port outside 1–65535 matches nothing (the answer could not be sent there)
      "http://127.0.0.1:99999/loop",
      "http://127.0.0.1:65536/loop",
      "http://127.0.0.1:0/loop",
    ];
    for (const redirect_uri of bad) {
      const res = await get(authorizeUrl(good(confidential.clientId, { redirect_uri })));
      expect(res.status, redirect_uri).toBe(400);
      expect(res.headers.get("location"), redirect_uri).toBeNull();
      expect(res.headers.get("content-type")).toContain("text/html");
    }
    for (const params of [good("gth_ci_unknown"), { ...good(confidential.clientId), redirect_uri: "" }, { response_type: "code", redirect_uri: CLIENT_CB }]) {
      const res = await get(authorizeUrl(params));
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toMatch(/invalid_client|invalid_request/);
    }
    // nor when the request holds an error that would otherwise be redirected to it
    const badPort = await get(authorizeUrl(good(confidential.clientId, { redirect_uri: "http://127.0.0.1:99999/loop", scope: "nope:nope" })));
    expect(badPort.status).toBe(400);
    expect(badPort.headers.get("location")).toBeNull();
    expect(await badPort.text()).toContain("invalid_redirect_uri");
    // a repeated redirect_uri cannot be trusted either
    const twice = await get(`${authorizeUrl(good(confidential.clientId))}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`);
    expect(twice.status).toBe(400);
    expect(twice.headers.get("location")).toBeNull();
    expect(await codeCount()).toBe(before);
  });

  it("refuses, with a 400 page, clients whose credential, app or owner is no longer in good standing", async () => {
    const refused = async (clientId: string) => {
      const res = await get(authorizeUrl(good(clientId)));
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain("invalid_client");
    };
    const create = async (cookie: string, name: string) => {
      const res = await api(cookie, "POST", "/apps", { name, redirectUris: [CLIENT_CB], products: ["echo"] });
      expect(res.status).toBe(201);
      expect((await get(authorizeUrl(good(res.json.credential.clientId)))).status).toBe(302);
      return { appId: res.json.app.id as string, clientId: res.json.credential.clientId as string, credentialId: res.json.credential.id as string };
    };
    const revoked = await create(devCookie, "revoked credential");
    expect((await api(devCookie, "DELETE", `/apps/${revoked.appId}/credentials/${revoked.credentialId}`)).status).toBe(200);
    await refused(revoked.clientId);

    const expired = await create(devCookie, "expired credential");
    await db.credential.update({ where: { id: expired.credentialId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await refused(expired.clientId);

    const suspendedApp = await create(devCookie, "suspended app");
    expect((await api(adminCookie, "PATCH", `/apps/${suspendedApp.appId}/settings`, { status: "suspended" })).status).toBe(200);
    await refused(suspendedApp.clientId);

    const signup = await api("", "POST", "/signup", { firstName: "Sue", lastName: "Spended", email: "sue@example.com", password: "Correct-Horse-42", acceptTerms: true });
    expect(signup.status).toBe(201);
    const sue = await signIn(gatehouse.url, "sue@example.com", "Correct-Horse-42");
    const suesApp = await create(sue.cookie, "suspended owner");
    const me = await api(sue.cookie, "GET", "/me");
    expect((await api(adminCookie, "PUT", `/developers/${me.json.id}/status`, { status: "suspended" })).status).toBe(200);
    await refused(suesApp.clientId);
  });

  it("accepts a loopback redirect URI on any port (RFC 8252)", async () => {
    const res = await get(authorizeUrl(good(confidential.clientId, { redirect_uri: "http://127.0.0.1:51234/loop" })));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")!.startsWith(`${oktaUrl}/`)).toBe(true);
  });

  it("sends errors back to the client with error, state and iss", async () => {
    const before = await codeCount();
    const expectError = async (params: Record<string, string>, error: string) => {
      const res = await get(authorizeUrl(params));
      expect(res.status, JSON.stringify(params)).toBe(302);
      const location = new URL(res.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
      expect(location.searchParams.get("error"), JSON.stringify(params)).toBe(error);
      expect(location.searchParams.get("iss")).toBe(gatehouse.url);
      if (params.state) expect(location.searchParams.get("state")).toBe(params.state);
      expect(location.searchParams.has("code")).toBe(false);
    };
    // no implicit unless an admin enabled it for the app (firstParty has it: see the implicit test)
    await expectError(good(confidential.clientId, { response_type: "token" }), "unsupported_response_type");
    await expectError(good(publicApp.clientId, { response_type: "token" }), "unsupported_response_type");
    await expectError(good(firstParty.clientId, { response_type: "token id_token" }), "unsupported_response_type");
    await expectError(good(confidential.clientId, { response_type: "code token" }), "unsupported_response_type");
    await expectError(without(good(confidential.clientId), "response_type"), "invalid_request");
    // PKCE S256 only; required for public clients
    await expectError(without(good(publicApp.clientId), "code_challenge", "code_challenge_method"), "invalid_request");
    await expectError(good(publicApp.clientId, { code_challenge_method: "plain" }), "invalid_request");
    await expectError(good(confidential.clientId, { code_challenge_method: "plain" }), "invalid_request");
    await expectError(without(good(publicApp.clientId), "code_challenge_method"), "invalid_request"); // means "plain"
    await expectError(without(good(confidential.clientId), "code_challenge"), "invalid_request"); // method without challenge
    await expectError(good(publicApp.clientId, { code_challenge: "short" }), "invalid_request");
    await expectError(good(publicApp.clientId, { code_challenge: `${"a".repeat(42)}!` }), "invalid_request");
    await expectError(good(publicApp.clientId, { code_challenge: "a".repeat(129) }), "invalid_request");
    // scope outside the approved products
    await expectError(good(confidential.clientId, { scope: "echo:read admin" }), "invalid_scope");
    // repeated parameters
    const repeated = await get(`${authorizeUrl(good(confidential.clientId))}&scope=echo:write`);
    expect(new URL(repeated.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    expect(await codeCount()).toBe(before);
  });

  it("answers without CORS and refuses framing", async () => {
    const res = await get(authorizeUrl(good(confidential.clientId)), { origin: "https://evil.example" });
    expect(res.status).toBe(302);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const page = await get(authorizeUrl(good("gth_ci_unknown")));
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const preflight = await fetch(`${gatehouse.url}/oauth/authorize`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("runs the whole flow: Okta sign-in, consent, then a code at the redirect URI", async () => {
    const before = await codeCount();
    const { callback, jar } = await throughOkta(good(confidential.clientId, { nonce: "client-nonce" }));
    const back = await get(callback, { cookie: jar.header() });
    expect(back.status).toBe(302);
    const consentUrl = back.headers.get("location")!;
    expect(consentUrl.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);

    const form = await consentForm(consentUrl, jar);
    // the app's name is text, not markup
    expect(form.html).toContain("Confidential &lt;img src=x onerror=alert(1)&gt;");
    expect(form.html).not.toContain("<img src=x");
    expect(form.html).toContain("echo:read");
    expect(await codeCount()).toBe(before);

    // cross-site POST and a wrong CSRF token are refused and issue nothing
    expect((await decide(jar, { id: form.id, csrf: form.csrf, decision: "allow" }, "https://evil.example")).status).toBe(403);
    expect((await decide(jar, { id: form.id, csrf: "x".repeat(43), decision: "allow" })).status).toBe(400);
    expect(await codeCount()).toBe(before);

    const done = await decide(jar, { id: form.id, csrf: form.csrf, decision: "allow" });
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.get("iss")).toBe(gatehouse.url);
    const code = location.searchParams.get("code")!;
    expect(code).toMatch(/^gth_ac_[A-Za-z0-9_-]{43}$/);

    expect(await codeCount()).toBe(before + 1);
    const row = await db.authorizationCode.findUnique({ where: { codeHash: createHash("sha256").update(code).digest("hex") } });
    expect(row).toMatchObject({
      appId: confidential.appId,
      userSub: seed.users.developer!.id,
      redirectUri: CLIENT_CB,
      scope: "echo:read",
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
      nonce: "client-nonce",
      consumedAt: null,
    });
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeLessThanOrEqual(60_000);
    const idToken = await db.idTokenRecord.findUnique({ where: { id: row!.idTokenRecordId! } });
    expect(idToken!.userSub).toBe(seed.users.developer!.id);
    expect(idToken!.ciphertext).toMatch(/^v1\./);
    // encrypted: it opens with the server's key into Okta's id token for this user, which the stored text does not contain
    const kept = openKeptIdToken(gatehouse, idToken!.ciphertext, seed.users.developer!.id);
    expect(kept.claims).toMatchObject({ sub: seed.users.developer!.id });
    expect(idToken!.ciphertext).not.toContain(kept.jwt.split(".")[1]!);

    // the consent cannot be answered twice
    expect((await decide(jar, { id: form.id, csrf: form.csrf, decision: "allow" })).status).toBe(400);
    expect(await codeCount()).toBe(before + 1);
  });

  it("answers access_denied when the user denies, and skips consent for first-party apps", async () => {
    const before = await codeCount();
    // prompt=consent: the user allowed this app echo:read in the previous test, which is remembered
    const denied = await throughOkta(good(confidential.clientId, { prompt: "consent" }));
    const consentUrl = (await get(denied.callback, { cookie: denied.jar.header() })).headers.get("location")!;
    const form = await consentForm(consentUrl, denied.jar);
    const res = await decide(denied.jar, { id: form.id, csrf: form.csrf, decision: "deny" });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.get("iss")).toBe(gatehouse.url);
    expect(await codeCount()).toBe(before);

    const first = await throughOkta(good(firstParty.clientId, { scope: "echo:read echo:write" }));
    const back = await get(first.callback, { cookie: first.jar.header() });
    expect(back.status).toBe(302);
    const direct = new URL(back.headers.get("location")!);
    expect(direct.searchParams.get("code")).toMatch(/^gth_ac_/);
    expect(direct.searchParams.get("iss")).toBe(gatehouse.url);
    expect(await codeCount()).toBe(before + 1);
  });

  it("issues an implicit token in the fragment only for an app an admin enabled it for; it works at userinfo", async () => {
    const created = await api(devCookie, "POST", "/apps", { name: "Implicit SPA", type: "public", redirectUris: [CLIENT_CB], products: ["echo"] });
    expect(created.status).toBe(201);
    const spa = { appId: created.json.app.id as string, clientId: created.json.credential.clientId as string };
    // a developer cannot switch it on (BOPLA): refused, and the database unchanged
    expect((await api(devCookie, "PATCH", `/apps/${spa.appId}`, { implicitEnabled: true })).status).toBe(400);
    expect((await api(devCookie, "PATCH", `/apps/${spa.appId}/settings`, { implicitEnabled: true })).status).toBe(403);
    expect((await db.app.findUniqueOrThrow({ where: { id: spa.appId } })).implicitEnabled).toBe(false);
    const implicit = { response_type: "token", client_id: spa.clientId, redirect_uri: CLIENT_CB, state: "imp-1", scope: "echo:read" };
    const refused = await get(authorizeUrl(implicit));
    expect(new URL(refused.headers.get("location")!).searchParams.get("error")).toBe("unsupported_response_type");

    expect((await api(adminCookie, "PATCH", `/apps/${spa.appId}/settings`, { implicitEnabled: true })).status).toBe(200);
    // errors now answer in the fragment: state is required, scopes are checked
    for (const [params, error] of [
      [without(implicit, "state"), "invalid_request"],
      [{ ...implicit, scope: "admin" }, "invalid_scope"],
    ] as const) {
      const res = await get(authorizeUrl(params));
      expect(res.status).toBe(302);
      const answer = fragmentOf(res.headers.get("location")!);
      expect(answer.base).toBe(CLIENT_CB);
      expect(answer.search).toBe("");
      expect(answer.params.get("error")).toBe(error);
      expect(answer.params.get("iss")).toBe(gatehouse.url);
    }

    const { callback, jar } = await throughOkta(implicit);
    const consentUrl = (await get(callback, { cookie: jar.header() })).headers.get("location")!;
    expect(consentUrl.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    const form = await consentForm(consentUrl, jar);
    const done = await decide(jar, { id: form.id, csrf: form.csrf, decision: "allow" });
    expect(done.status).toBe(303);
    const answer = fragmentOf(done.headers.get("location")!);
    expect(answer.base).toBe(CLIENT_CB);
    expect(answer.search).toBe("");
    expect(Object.fromEntries(answer.params)).toMatchObject({ token_type: "Bearer", scope: "echo:read", state: "imp-1", iss: gatehouse.url });
    const token = answer.params.get("access_token")!;
    expect(token).toMatch(/^gth_at_[A-Za-z0-9_-]{43}$/);
    expect(Number(answer.params.get("expires_in"))).toBeGreaterThan(0);
    expect(Number(answer.params.get("expires_in"))).toBeLessThanOrEqual(900);
    expect(answer.params.has("refresh_token")).toBe(false);
    expect(answer.params.has("code")).toBe(false);

    const row = await db.accessToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(row).toMatchObject({ appId: spa.appId, grantType: "implicit", userSub: seed.users.developer!.id, scope: "echo:read", revokedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(900_000);
    expect(await db.refreshToken.count({ where: { appId: spa.appId } })).toBe(0);
    expect(await db.authorizationCode.count({ where: { appId: spa.appId } })).toBe(0);
    const userinfo = await fetch(`${gatehouse.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: seed.users.developer!.id });

    // consent is remembered: the next time the token comes straight from the callback
    const again = await throughOkta({ ...implicit, state: "imp-2" });
    const direct = await get(again.callback, { cookie: again.jar.header() });
    expect(direct.status).toBe(302);
    const second = fragmentOf(direct.headers.get("location")!);
    expect(second.params.get("access_token")).toMatch(/^gth_at_/);
    expect(second.params.get("state")).toBe("imp-2");
    // a denial goes back in the fragment too
    const asked = await throughOkta({ ...implicit, state: "imp-3", prompt: "consent" });
    const denyForm = await consentForm((await get(asked.callback, { cookie: asked.jar.header() })).headers.get("location")!, asked.jar);
    const denied = fragmentOf((await decide(asked.jar, { id: denyForm.id, csrf: denyForm.csrf, decision: "deny" })).headers.get("location")!);
    expect(denied.search).toBe("");
    expect(Object.fromEntries(denied.params)).toMatchObject({ error: "access_denied", state: "imp-3", iss: gatehouse.url });
    expect(await db.accessToken.count({ where: { appId: spa.appId } })).toBe(2);
  });

  it("signs implicit tokens as JWTs for a JWT product (the browser lane shares the signing key)", async () => {
    const product = await api(adminCookie, "POST", "/products", { slug: "implicit-jwt", name: "Implicit JWT", scopes: ["ijwt:read"], accessTokenFormat: "jwt" });
    expect(product.status).toBe(201);
    const created = await api(devCookie, "POST", "/apps", { name: "Implicit JWT SPA", type: "public", redirectUris: [CLIENT_CB], products: ["implicit-jwt"] });
    const spa = { appId: created.json.app.id as string, clientId: created.json.credential.clientId as string };
    expect((await api(adminCookie, "PATCH", `/apps/${spa.appId}/settings`, { implicitEnabled: true, skipConsent: true })).status).toBe(200);
    const { callback, jar } = await throughOkta({ response_type: "token", client_id: spa.clientId, redirect_uri: CLIENT_CB, state: "ijwt", scope: "ijwt:read" });
    const answer = fragmentOf((await get(callback, { cookie: jar.header() })).headers.get("location")!);
    const token = answer.params.get("access_token")!;
    const jwks = createLocalJWKSet(await (await fetch(`${gatehouse.url}/oauth/jwks`)).json());
    const { payload } = await jwtVerify(token, jwks, { typ: "at+jwt", issuer: gatehouse.url, audience: "implicit-jwt" });
    expect(payload).toMatchObject({ sub: seed.users.developer!.id, client_id: spa.clientId, scope: "ijwt:read" });
    expect(typeof payload.auth_time).toBe("number");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    expect((await db.accessToken.findUniqueOrThrow({ where: { tokenHash: sha256(token) } })).grantType).toBe("implicit");
  });

  it("remembers consent: the same or fewer scopes skip the page, a wider scope or prompt=consent asks again, revoking the app's tokens forgets it", async () => {
    const created = await api(devCookie, "POST", "/apps", { name: "Remembering", redirectUris: [CLIENT_CB], products: ["echo"] });
    const app = { appId: created.json.app.id as string, clientId: created.json.credential.clientId as string };
    const userSub = seed.users.developer!.id;
    const remembered = () => db.consentGrant.findUnique({ where: { appId_userSub: { appId: app.appId, userSub } } });
    const afterOkta = async (extra: Record<string, string>) => {
      const { callback, jar } = await throughOkta(good(app.clientId, extra));
      const res = await get(callback, { cookie: jar.header() });
      expect(res.status).toBe(302);
      return { location: res.headers.get("location")!, jar };
    };
    const allow = async (step: { location: string; jar: CookieJar }) => {
      expect(step.location.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
      const form = await consentForm(step.location, step.jar);
      const res = await decide(step.jar, { id: form.id, csrf: form.csrf, decision: "allow" });
      return new URL(res.headers.get("location")!);
    };

    expect(await remembered()).toBeNull();
    expect((await allow(await afterOkta({ scope: "echo:read" }))).searchParams.get("code")).toMatch(/^gth_ac_/);
    expect(await remembered()).toMatchObject({ scope: "echo:read" });

    // the same scope again: no consent page, a code straight from the callback
    const before = await codeCount();
    const skipped = new URL((await afterOkta({ scope: "echo:read", state: "again" })).location);
    expect(`${skipped.origin}${skipped.pathname}`).toBe(CLIENT_CB);
    expect(skipped.searchParams.get("code")).toMatch(/^gth_ac_/);
    expect(skipped.searchParams.get("state")).toBe("again");
    expect(skipped.searchParams.get("iss")).toBe(gatehouse.url);
    expect(await codeCount()).toBe(before + 1);
    // the id token kept for it says when Okta authenticated the user (auth_time)
    const code = await db.authorizationCode.findUniqueOrThrow({ where: { codeHash: sha256(skipped.searchParams.get("code")!) } });
    expect((await db.idTokenRecord.findUniqueOrThrow({ where: { id: code.idTokenRecordId! } })).authTime).toBeInstanceOf(Date);

    // a wider scope asks again, and the answer widens what is remembered
    expect((await allow(await afterOkta({ scope: "echo:read echo:write" }))).searchParams.get("code")).toMatch(/^gth_ac_/);
    expect((await remembered())!.scope.split(" ").sort()).toEqual(["echo:read", "echo:write"]);
    // prompt=consent asks even for what is covered
    expect((await afterOkta({ scope: "echo:write", prompt: "consent" })).location.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    // prompt=none with an Okta session and remembered consent: no page at all
    expect(new URL((await afterOkta({ scope: "echo:write", prompt: "none" })).location).searchParams.get("code")).toMatch(/^gth_ac_/);

    // revoking the app's tokens forgets the consent
    expect((await api(devCookie, "POST", `/apps/${app.appId}/revoke-tokens`)).status).toBe(200);
    expect(await remembered()).toBeNull();
    expect((await afterOkta({ scope: "echo:read" })).location.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    // prompt=none when consent is needed: consent_required, back at the client
    const none = new URL((await afterOkta({ scope: "echo:read", prompt: "none" })).location);
    expect(`${none.origin}${none.pathname}`).toBe(CLIENT_CB);
    expect(none.searchParams.get("error")).toBe("consent_required");
    expect(none.searchParams.get("iss")).toBe(gatehouse.url);
  });

  it("answers login_required to prompt=none without an Okta session, and passes prompt, max_age and login_hint to Okta", async () => {
    const before = await codeCount();
    const jar = new CookieJar();
    const start = await get(authorizeUrl(good(confidential.clientId, { prompt: "none" })));
    expect(start.status).toBe(302);
    jar.take(start);
    const toOkta = new URL(start.headers.get("location")!);
    expect(toOkta.searchParams.get("prompt")).toBe("none");
    const okta = await get(toOkta.toString()); // a browser without an Okta session
    const callback = okta.headers.get("location")!;
    expect(callback.startsWith(`${gatehouse.url}/oauth/callback?`)).toBe(true);
    const res = await get(callback, { cookie: jar.header() });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
    expect(location.searchParams.get("error")).toBe("login_required");
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.get("iss")).toBe(gatehouse.url);
    expect(await codeCount()).toBe(before);

    const hinted = new URL((await get(authorizeUrl(good(confidential.clientId, { prompt: "login", max_age: "0", login_hint: "dev@example.com" })))).headers.get("location")!);
    expect(hinted.origin).toBe(oktaUrl);
    expect(hinted.searchParams.get("prompt")).toBe("login");
    expect(hinted.searchParams.get("max_age")).toBe("0");
    expect(hinted.searchParams.get("login_hint")).toBe("dev@example.com");
    // prompt=consent is about Gatehouse's consent page, not Okta's sign-in
    const consentOnly = new URL((await get(authorizeUrl(good(confidential.clientId, { prompt: "consent" })))).headers.get("location")!);
    expect(consentOnly.searchParams.has("prompt")).toBe(false);
    // a fresh sign-in within max_age is accepted (auth_time is checked on return)
    const fresh = await throughOkta(good(firstParty.clientId, { max_age: "300" }));
    expect(new URL((await get(fresh.callback, { cookie: fresh.jar.header() })).headers.get("location")!).searchParams.get("code")).toMatch(/^gth_ac_/);
  });

  it("rejects wrong, missing and replayed Okta callbacks without a session or a code", async () => {
    const { callback, jar } = await throughOkta(good(firstParty.clientId));
    const before = await codeCount();
    const records = await db.idTokenRecord.count();
    const url = new URL(callback);
    const expectRefused = async (target: string, cookie = jar.header()) => {
      const res = await get(target, { cookie });
      expect(res.status, target).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
    };
    const noState = new URL(url);
    noState.searchParams.delete("state");
    await expectRefused(noState.toString());
    const wrongState = new URL(url);
    wrongState.searchParams.set("state", "forged-state");
    await expectRefused(wrongState.toString());
    const twoStates = new URL(url);
    twoStates.searchParams.append("state", "forged-state");
    await expectRefused(twoStates.toString());
    // another browser (no binding cookie, or someone else's) cannot finish this user's sign-in
    await expectRefused(callback, "");
    await expectRefused(callback, "gatehouse_oauth=" + "A".repeat(43));
    expect(await codeCount()).toBe(before);
    expect(await db.idTokenRecord.count()).toBe(records);

    // the real one works once…
    const ok = await get(callback, { cookie: jar.header() });
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get("location")!).searchParams.get("code")).toMatch(/^gth_ac_/);
    expect(await codeCount()).toBe(before + 1);
    // …and a replay is refused
    await expectRefused(callback);
    expect(await codeCount()).toBe(before + 1);
  });

  it("tells the client access_denied when Okta answers with an error for a known state", async () => {
    const jar = new CookieJar();
    const start = await get(authorizeUrl(good(confidential.clientId)));
    jar.take(start);
    const oktaState = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const before = await codeCount();
    const res = await get(`${gatehouse.url}/oauth/callback?${new URLSearchParams({ error: "access_denied", state: oktaState })}`, { cookie: jar.header() });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.get("iss")).toBe(gatehouse.url);
    expect(await codeCount()).toBe(before);
  });
});
