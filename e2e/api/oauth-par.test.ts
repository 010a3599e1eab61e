// Pushed authorization requests (RFC 9126) and the form_post response mode against the real
// server, without a browser: a strict client (oauth4webapi) pushes, /oauth/authorize takes the
// request_uri once and goes on to okta-dev (sessionToken instead of the login page), and the code
// comes back to the client and is redeemed. Refusals are shown pages (never a redirect to an
// unverified URI) or RFC 6749 JSON at /oauth/par; the require-PAR app setting is enforced.
// The server runs with a short OAUTH_PAR_LIFETIME_SECONDS so that expiry is tested without a long wait.
import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { withNonceRetry } from "../harness/dpop-nonce.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, readOktaSeed, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { startTwoInstances, type TwoInstances } from "../harness/two-instances.ts";
import { CookieJar, signIn } from "../harness/sign-in.ts";

const CLIENT_CB = "https://client.example/cb";
const LIFETIME_SECONDS = 6;
const opts = { [oauth.allowInsecureRequests]: true } as const;

describe.each(configuredBackends())("pushed authorization requests and form_post on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller, developer: Caller;
  let seed: { users: Record<string, { login: string; password: string; id: string }> };
  let oktaUrl: string;
  let as: oauth.AuthorizationServer;
  type App = { appId: string; clientId: string; secret: string | null };
  let confidential: App, other: App, spa: App, firstParty: App;

  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });
  const authorizeUrl = (params: Record<string, string>) => `${gatehouse.url}/oauth/authorize?${new URLSearchParams(params)}`;
  const basic = (app: App): oauth.ClientAuth => oauth.ClientSecretBasic(app.secret!);
  const pkce = () => {
    const verifier = oauth.generateRandomCodeVerifier();
    return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
  };
  const params = (challenge: string, extra: Record<string, string> = {}) => ({
    response_type: "code",
    redirect_uri: CLIENT_CB,
    state: "par-state",
    scope: "echo:read",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  /** oauth4webapi's push; answers the request_uri. */
  async function push(app: App, extra: Record<string, string> = {}, auth: oauth.ClientAuth = basic(app)) {
    const res = await oauth.pushedAuthorizationRequest(as, { client_id: app.clientId }, auth, params(pkce().challenge, extra), opts);
    return (await oauth.processPushedAuthorizationResponse(as, { client_id: app.clientId }, res)).request_uri;
  }
  /** A raw push, for what a strict client would never send. */
  const rawPush = (body: Record<string, string>, app?: App, headers: Record<string, string> = {}) =>
    fetch(`${gatehouse.url}/oauth/par`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(app ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.secret!)}`).toString("base64")}` } : {}),
        ...headers,
      },
      body: new URLSearchParams(body),
    }).then(async (r) => ({ status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> }));

  /** A shown refusal: 400, an HTML page naming the code, no redirect. */
  async function expectShown(url: string, code: string) {
    const res = await get(url);
    expect(res.status, url).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain(code);
  }

  /** /oauth/authorize → Okta (sessionToken) → /oauth/callback; answers the callback's response and the browser's cookies. */
  async function throughOkta(url: string) {
    const jar = new CookieJar();
    const start = await get(url);
    expect(start.status).toBe(302);
    jar.take(start);
    const toOkta = new URL(start.headers.get("location")!);
    expect(toOkta.origin).toBe(oktaUrl);
    const authn = await fetch(`${oktaUrl}/api/v1/authn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: seed.users.developer!.login, password: seed.users.developer!.password }),
    });
    toOkta.searchParams.set("sessionToken", ((await authn.json()) as { sessionToken: string }).sessionToken);
    const callback = (await get(toOkta.toString())).headers.get("location")!;
    expect(callback.startsWith(`${gatehouse.url}/oauth/callback?`)).toBe(true);
    return { res: await get(callback, { cookie: jar.header() }), jar };
  }

  async function allowConsent(consentUrl: string, jar: CookieJar) {
    expect(consentUrl.startsWith(`${gatehouse.url}/oauth/consent?id=`)).toBe(true);
    const html = await (await get(consentUrl, { cookie: jar.header() })).text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
    return fetch(`${gatehouse.url}/oauth/consent/decision`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: gatehouse.url, cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: field("id"), csrf: field("csrf"), decision: "allow" }),
    });
  }

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse({ ...env, OAUTH_PAR_LIFETIME_SECONDS: String(LIFETIME_SECONDS) });
    api = apiCaller(gatehouse);
    seed = readOktaSeed(gatehouse);
    const dev = await signIn(gatehouse.url, seed.users.developer!.login, seed.users.developer!.password);
    oktaUrl = dev.oktaUrl;
    developer = { cookie: dev.cookie };
    admin = { cookie: (await signIn(gatehouse.url, seed.users.admin!.login, seed.users.admin!.password)).cookie };
    const create = async (body: Record<string, unknown>): Promise<App> => {
      const res = await api(developer, "POST", "/apps", { products: ["echo"], redirectUris: [CLIENT_CB], ...body });
      expect(res.status).toBe(201);
      return { appId: res.json.app.id, clientId: res.json.credential.clientId, secret: res.json.credential.clientSecret };
    };
    confidential = await create({ name: "PAR confidential" });
    other = await create({ name: "PAR other" });
    spa = await create({ name: "PAR SPA", type: "public", redirectUris: [CLIENT_CB, "http://127.0.0.1:5173/cb"] });
    firstParty = await create({ name: "PAR first party" });
    expect((await api(admin, "PATCH", `/apps/${firstParty.appId}/settings`, { skipConsent: true })).status).toBe(200);
    as = await oauth.processDiscoveryResponse(new URL(gatehouse.url), await oauth.discoveryRequest(new URL(gatehouse.url), { algorithm: "oauth2", ...opts }));
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("publishes the endpoint and form_post in the metadata; PAR is required per app, not globally", () => {
    expect(as.pushed_authorization_request_endpoint).toBe(`${gatehouse.url}/oauth/par`);
    expect(as.require_pushed_authorization_requests).toBe(false);
    expect(as.response_modes_supported).toContain("form_post");
  });

  it("runs the code flow from a pushed request (client_secret_basic): Okta, consent, code, tokens; the request_uri works once", async () => {
    const { verifier, challenge } = pkce();
    const res = await oauth.pushedAuthorizationRequest(as, { client_id: confidential.clientId }, basic(confidential), params(challenge, { nonce: "n-par" }), opts);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const pushed = await oauth.processPushedAuthorizationResponse(as, { client_id: confidential.clientId }, res);
    expect(pushed.expires_in).toBe(LIFETIME_SECONDS);
    expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);

    // only client_id and request_uri travel through the browser; other query parameters are ignored
    const url = authorizeUrl({ client_id: confidential.clientId, request_uri: pushed.request_uri, state: "from-the-query", redirect_uri: "https://evil.example/cb" });
    const { res: back, jar } = await throughOkta(url);
    const done = await allowConsent(back.headers.get("location")!, jar);
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
    const callbackParams = oauth.validateAuthResponse(as, { client_id: confidential.clientId }, location, "par-state");
    const tokenRes = await oauth.authorizationCodeGrantRequest(as, { client_id: confidential.clientId }, basic(confidential), callbackParams, CLIENT_CB, verifier, opts);
    const tokens = await oauth.processAuthorizationCodeResponse(as, { client_id: confidential.clientId }, tokenRes);
    expect(tokens.access_token).toMatch(/^gth_at_/);
    expect(tokens.scope).toBe("echo:read");

    // used: a second use is a shown error, not a redirect
    await expectShown(url, "invalid_request_uri");
  });

  it("binds the code to the DPoP key proven at the push (RFC 9449 §10.1): only that key redeems it", async () => {
    const client: oauth.Client = { client_id: spa.clientId };
    const key = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const codeFlow = async (redeemWith: oauth.DPoPHandle) => {
      const { verifier, challenge } = pkce();
      const pushed = await withNonceRetry(async () =>
        oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, oauth.None(), params(challenge), { ...opts, DPoP: key })),
      );
      const { res: back, jar } = await throughOkta(authorizeUrl({ client_id: spa.clientId, request_uri: pushed.request_uri }));
      // consent is asked the first time only (then remembered)
      let landed = back.headers.get("location")!;
      if (landed.startsWith(`${gatehouse.url}/oauth/consent`)) landed = (await allowConsent(landed, jar)).headers.get("location")!;
      const location = new URL(landed);
      const callbackParams = oauth.validateAuthResponse(as, client, location, "par-state");
      return withNonceRetry(async () =>
        oauth.processAuthorizationCodeResponse(
          as,
          client,
          await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callbackParams, CLIENT_CB, verifier, { ...opts, DPoP: redeemWith }),
        ),
      );
    };
    const otherKey = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    await expect(codeFlow(otherKey)).rejects.toMatchObject({ error: "invalid_grant" });
    const tokens = await codeFlow(key);
    expect(tokens.token_type).toBe("dpop");
  });

  it("refuses an expired, unknown or other client's request_uri, and one without its client_id, with a shown page", async () => {
    const requestUri = await push(confidential);
    await expectShown(authorizeUrl({ client_id: other.clientId, request_uri: requestUri }), "invalid_request_uri");
    await expectShown(authorizeUrl({ request_uri: requestUri }), "invalid_request");
    await expectShown(authorizeUrl({ client_id: confidential.clientId, request_uri: "urn:ietf:params:oauth:request_uri:forged" }), "invalid_request_uri");
    // none of these used it up
    const start = await get(authorizeUrl({ client_id: confidential.clientId, request_uri: requestUri }));
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get("location")!).origin).toBe(oktaUrl);

    const expiring = await push(confidential);
    await new Promise((resolve) => setTimeout(resolve, LIFETIME_SECONDS * 1000 + 500));
    await expectShown(authorizeUrl({ client_id: confidential.clientId, request_uri: expiring }), "invalid_request_uri");
  }, 30_000);

  it("refuses at /oauth/par: a request_uri, a client_id other than the authenticated one, bad credentials, and what /oauth/authorize refuses", async () => {
    const { challenge } = pkce();
    const refused = async (body: Record<string, string>, app: App | undefined, status: number, error: string) => {
      const res = await rawPush(body, app);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error, JSON.stringify(body)).toBe(error);
      expect(res.headers.get("cache-control")).toBe("no-store");
    };
    const body = (app: App, extra: Record<string, string> = {}) => ({ client_id: app.clientId, ...params(challenge, extra) });
    await refused(body(confidential, { request_uri: await push(confidential) }), confidential, 400, "invalid_request");
    await refused(body(other), confidential, 400, "invalid_request");
    await refused(body(confidential), { ...confidential, secret: "wrong" }, 401, "invalid_client");
    await refused(body(confidential), undefined, 401, "invalid_client");
    await refused(body(confidential, { redirect_uri: "https://evil.example/cb" }), confidential, 400, "invalid_redirect_uri");
    await refused(body(confidential, { scope: "admin" }), confidential, 400, "invalid_scope");
    await refused(body(confidential, { response_type: "token" }), confidential, 400, "unsupported_response_type");
    await refused(body(confidential, { response_mode: "query.jwt" }), confidential, 400, "invalid_request");
    await refused(body(spa, { code_challenge_method: "plain" }), undefined, 400, "invalid_request");
  });

  it("takes public clients by client_id, with CORS for their registered origin only", async () => {
    const { challenge } = pkce();
    const res = await rawPush({ client_id: spa.clientId, ...params(challenge) }, undefined, { origin: "http://127.0.0.1:5173" });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
    const foreign = await rawPush({ client_id: spa.clientId, ...params(challenge) }, undefined, { origin: "https://evil.example" });
    expect(foreign.status).toBe(201);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const start = await get(authorizeUrl({ client_id: spa.clientId, request_uri: res.json.request_uri as string }));
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get("location")!).origin).toBe(oktaUrl);
  });

  it("makes an app that requires PAR refuse plain requests (to its redirect URI) and accept pushed ones", async () => {
    const strict = await (async () => {
      const res = await api(developer, "POST", "/apps", { name: "PAR required", products: ["echo"], redirectUris: [CLIENT_CB] });
      return { appId: res.json.app.id, clientId: res.json.credential.clientId, secret: res.json.credential.clientSecret } as App;
    })();
    expect((await api(developer, "PATCH", `/apps/${strict.appId}/settings`, { requirePushedAuthorizationRequests: true })).status).toBe(403);
    expect((await api(admin, "PATCH", `/apps/${strict.appId}/settings`, { requirePushedAuthorizationRequests: true })).status).toBe(200);
    const { challenge } = pkce();
    const plain = await get(authorizeUrl({ client_id: strict.clientId, ...params(challenge) }));
    expect(plain.status).toBe(302);
    const location = new URL(plain.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CB);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe("par-state");
    expect(location.searchParams.get("iss")).toBe(gatehouse.url);
    // an unregistered redirect URI is still never redirected to
    await expectShown(authorizeUrl({ client_id: strict.clientId, ...params(challenge, { redirect_uri: "https://evil.example/cb" }) }), "invalid_redirect_uri");
    const pushed = await get(authorizeUrl({ client_id: strict.clientId, request_uri: await push(strict) }));
    expect(pushed.status).toBe(302);
    expect(new URL(pushed.headers.get("location")!).origin).toBe(oktaUrl);
  });

  it("answers response_mode=form_post with an auto-posting form: code, state and iss, under a strict CSP", async () => {
    const { verifier, challenge } = pkce();
    const requestUri = await (async () => {
      const res = await oauth.pushedAuthorizationRequest(as, { client_id: firstParty.clientId }, basic(firstParty), params(challenge, { response_mode: "form_post" }), opts);
      return (await oauth.processPushedAuthorizationResponse(as, { client_id: firstParty.clientId }, res)).request_uri;
    })();
    const { res } = await throughOkta(authorizeUrl({ client_id: firstParty.clientId, request_uri: requestUri }));
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(csp).toContain("form-action https://client.example");
    expect(csp).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="${CLIENT_CB}">`);
    expect(html).toMatch(/<noscript>.*<button type="submit">Continue<\/button>/);
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(fields).sort()).toEqual(["code", "iss", "state"]);
    expect(fields).toMatchObject({ state: "par-state", iss: gatehouse.url });
    // the posted fields are a valid authorization response: the code redeems
    const posted = oauth.validateAuthResponse(as, { client_id: firstParty.clientId }, new URLSearchParams(fields as Record<string, string>), "par-state");
    const tokenRes = await oauth.authorizationCodeGrantRequest(as, { client_id: firstParty.clientId }, basic(firstParty), posted, CLIENT_CB, verifier, opts);
    expect((await oauth.processAuthorizationCodeResponse(as, { client_id: firstParty.clientId }, tokenRes)).access_token).toMatch(/^gth_at_/);

    // errors take the same way (a plain request here)
    const refused = await get(authorizeUrl({ client_id: firstParty.clientId, ...params(challenge, { response_mode: "form_post", scope: "admin" }) }));
    expect(refused.status).toBe(200);
    const errorHtml = await refused.text();
    expect(errorHtml).toContain(`name="error" value="invalid_scope"`);
    expect(errorHtml).toContain(`name="iss" value="${gatehouse.url}"`);
    // an unknown response_mode is invalid_request, redirected the default way
    const unknown = await get(authorizeUrl({ client_id: firstParty.clientId, ...params(challenge, { response_mode: "query.jwt" }) }));
    expect(unknown.status).toBe(302);
    expect(new URL(unknown.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
  });
});

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("a pushed request across two instances sharing PostgreSQL and Redis", () => {
  let instances: TwoInstances;

  beforeAll(async () => {
    instances = await startTwoInstances(TEST_DATABASE_URL!, TEST_REDIS_URL!);
  }, 180_000);
  afterAll(async () => {
    await instances?.stop();
  });

  it("is pushed to one instance, taken at the other, and claimed once when both are asked at the same moment", async () => {
    const { one, two } = instances;
    const { developer } = await seededSessions(one);
    const created = await apiCaller(one)(developer, "POST", "/apps", { name: "PAR two instances", products: ["echo"], redirectUris: [CLIENT_CB] });
    expect(created.status).toBe(201);
    const app = { clientId: created.json.credential.clientId as string, secret: created.json.credential.clientSecret as string };
    const challenge = createHash("sha256").update(oauth.generateRandomCodeVerifier()).digest("base64url");
    const push = async () => {
      const res = await fetch(`${one.url}/oauth/par`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}` },
        body: new URLSearchParams({
          response_type: "code",
          client_id: app.clientId,
          redirect_uri: CLIENT_CB,
          scope: "echo:read",
          code_challenge: challenge,
          code_challenge_method: "S256",
        }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { request_uri: string }).request_uri;
    };
    const at = (instance: RunningGatehouse, requestUri: string) =>
      fetch(`${instance.url}/oauth/authorize?${new URLSearchParams({ client_id: app.clientId, request_uri: requestUri })}`, { redirect: "manual" }).then((r) => r.status);

    expect(await at(two, await push())).toBe(302);
    for (let round = 0; round < 3; round++) {
      const requestUri = await push();
      expect((await Promise.all([at(one, requestUri), at(two, requestUri)])).sort()).toEqual([302, 400]);
    }
  }, 60_000);
});

describe("a pushed request with machine-lane worker processes and no Redis", () => {
  let gatehouse: RunningGatehouse;

  beforeAll(async () => {
    // pushed in a worker process, claimed in the browser lane's thread: both reach the primary's memory
    gatehouse = await startGatehouse({ GATEWAY_WORKERS: "2" });
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
  });

  it("is taken by /oauth/authorize once", async () => {
    const { developer } = await seededSessions(gatehouse);
    const created = await apiCaller(gatehouse)(developer, "POST", "/apps", { name: "PAR workers", type: "public", products: ["echo"], redirectUris: [CLIENT_CB] });
    expect(created.status).toBe(201);
    const clientId = created.json.credential.clientId as string;
    const challenge = createHash("sha256").update(oauth.generateRandomCodeVerifier()).digest("base64url");
    const requestUris: string[] = [];
    for (let i = 0; i < 4; i++) {
      // several pushes: the kernel spreads the connections over the workers
      const res = await fetch(`${gatehouse.url}/oauth/par`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", connection: "close" },
        body: new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CLIENT_CB, code_challenge: challenge, code_challenge_method: "S256" }),
      });
      expect(res.status).toBe(201);
      requestUris.push(((await res.json()) as { request_uri: string }).request_uri);
    }
    for (const requestUri of requestUris) {
      const at = () =>
        fetch(`${gatehouse.url}/oauth/authorize?${new URLSearchParams({ client_id: clientId, request_uri: requestUri })}`, { redirect: "manual" }).then((r) => r.status);
      expect(await at()).toBe(302);
      expect(await at()).toBe(400);
    }
  }, 60_000);
});
