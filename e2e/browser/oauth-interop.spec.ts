// The authorization server's newer standards driven end to end by an independent client,
// oauth4webapi, through okta-dev's login in Chromium: pushed authorization requests (RFC 9126)
// with DPoP-bound tokens (RFC 9449) for a public app that requires both, a client registered
// dynamically (RFC 7591/7592) with an initial access token from the portal, and an Okta token
// exchanged for a Gatehouse token (RFC 8693).
import { expect, test, type Page } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { createDatabaseClient } from "../../lib/db/client.ts";
import { withNonceRetry } from "../harness/dpop-nonce.ts";
import { apiAs, gatehouseDatabaseFile, gatehouseUrl, seededUsers, signInAtOkta } from "../harness/portal.ts";
import { startRedirectReceiver, type RedirectReceiver } from "../harness/redirect-receiver.ts";

const opts = { [oauth.allowInsecureRequests]: true } as const;
let receiver: RedirectReceiver;
const redirectUri = () => `http://127.0.0.1:${receiver.port}/cb`;

test.beforeAll(async () => {
  receiver = await startRedirectReceiver();
});
test.afterAll(() => receiver.close());

async function discover(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(gatehouseUrl());
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...opts }));
}

/** Signs in at Okta if asked, allows on Gatehouse's consent page if shown, and answers where the browser lands at the app. */
/** A code + PKCE (S256) authorization request to `server` for the receiver's redirect URI. */
async function codeRequest(server: oauth.AuthorizationServer, clientId: string, verifier: string, params: Record<string, string>): Promise<URL> {
  const start = new URL(server.authorization_endpoint!);
  const all = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri(),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...params,
  };
  for (const [k, v] of Object.entries(all)) start.searchParams.set(k, v);
  return start;
}

async function authorizeInBrowser(page: Page, start: URL, user: { login: string; password: string }): Promise<URL> {
  await page.goto(start.toString());
  await page
    .waitForURL((u) => u.href.startsWith(redirectUri()) || u.pathname.endsWith("/login") || u.pathname === "/oauth/consent" || u.searchParams.has("okta-dev"), { timeout: 20_000 })
    .catch(() => {});
  if (await page.getByTestId("okta-dev-badge").isVisible()) await signInAtOkta(page, user);
  await page.waitForURL((u) => u.href.startsWith(redirectUri()) || u.pathname === "/oauth/consent");
  if (new URL(page.url()).pathname === "/oauth/consent") await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));
  return new URL(page.url());
}

test("PAR + DPoP: a public app that requires both gets sender-constrained tokens (oauth4webapi)", async ({ page }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const admin = await apiAs(users.admin);
  const as = await discover();
  expect(as.pushed_authorization_request_endpoint).toBe(`${gatehouseUrl()}/oauth/par`);
  expect(as.dpop_signing_alg_values_supported).toContain("ES256");

  const created = await developer<{ app: { id: string }; credential: { clientId: string } }>("POST", "/apps", {
    name: "PAR DPoP app",
    type: "public",
    redirectUris: ["http://127.0.0.1/cb"],
    products: ["echo"],
  });
  expect(created.status).toBe(201);
  const settings = await admin("PATCH", `/apps/${created.body.app.id}/settings`, { requirePushedAuthorizationRequests: true, dpopBoundAccessTokens: true });
  expect(settings.status).toBe(200);
  const client: oauth.Client = { client_id: created.body.credential.clientId };
  const auth = oauth.None();
  const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));

  // a plain authorization request is refused for this app: it never reaches Okta
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const plain = await codeRequest(as, client.client_id, verifier, { scope: "echo:read", state: "plain" });
  await page.goto(plain.toString());
  await page.waitForLoadState();
  expect(page.url()).not.toContain("code=");
  await expect(page.getByTestId("okta-dev-badge")).toHaveCount(0);

  const state = oauth.generateRandomState();
  const pushed = await oauth.processPushedAuthorizationResponse(
    as,
    client,
    await oauth.pushedAuthorizationRequest(
      as,
      client,
      auth,
      new URLSearchParams({ response_type: "code", redirect_uri: redirectUri(), scope: "echo:read", state, code_challenge: challenge, code_challenge_method: "S256" }),
      opts,
    ),
  );
  expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
  expect(pushed.expires_in).toBeGreaterThan(0);
  const start = new URL(as.authorization_endpoint!);
  start.searchParams.set("client_id", client.client_id);
  start.searchParams.set("request_uri", pushed.request_uri);
  const landed = await authorizeInBrowser(page, start, users.developer);

  // the pushed request is used once: a second visit does not produce another code
  await page.goto(start.toString());
  await page.waitForLoadState();
  expect(page.url().startsWith(redirectUri()) && new URL(page.url()).searchParams.has("code")).toBe(false);

  const params = oauth.validateAuthResponse(as, client, landed, state);
  const tokens = await withNonceRetry(async () =>
    oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri(), verifier, { DPoP: dpop, ...opts })),
  );
  expect(tokens.token_type).toBe("dpop");
  expect(tokens.refresh_token).toBeTruthy();

  const resource = new URL(`${gatehouseUrl()}/gateway/echo/v1/interop`);
  // a 401 challenge (use_dpop_nonce included) rejects with WWWAuthenticateChallengeError
  const called = await withNonceRetry(() => oauth.protectedResourceRequest(tokens.access_token, "GET", resource, new Headers(), null, { DPoP: dpop, ...opts }));
  expect(called.status).toBe(200);
  // the same token without its key: refused
  const asBearer = await fetch(resource, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(asBearer.status).toBe(401);
  expect(asBearer.headers.get("www-authenticate")).toMatch(/^DPoP /);
  const otherKey = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
  const stolen = await withNonceRetry(() => oauth.protectedResourceRequest(tokens.access_token, "GET", resource, new Headers(), null, { DPoP: otherKey, ...opts })).catch(
    (e: unknown) => e,
  );
  expect(stolen).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  expect((stolen as oauth.WWWAuthenticateChallengeError).cause[0]?.parameters.error).toBe("invalid_token");

  // a public client's refresh token is bound too: it refreshes only with the same key
  await expect(oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, opts).then((r) => oauth.processRefreshTokenResponse(as, client, r))).rejects.toThrow();
  const refreshed = await withNonceRetry(async () =>
    oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, { DPoP: dpop, ...opts })),
  );
  expect(refreshed.token_type).toBe("dpop");
});

test("dynamic registration: software registers a client with the developer's initial access token, and it signs a user in (oauth4webapi)", async ({ page }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const as = await discover();
  expect(as.registration_endpoint).toBe(`${gatehouseUrl()}/oauth/register`);
  const initial = await developer<{ id: string; token: string }>("POST", "/initial-access-tokens", { label: "CI pipeline", products: ["echo"] });
  expect(initial.status).toBe(201);

  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: "Registered by software",
        redirect_uris: [redirectUri()],
        token_endpoint_auth_method: "client_secret_basic",
        grant_types: ["authorization_code", "refresh_token"],
        software_id: "interop-suite",
      },
      { initialAccessToken: initial.body.token, ...opts },
    ),
  );
  expect(registered.client_secret).toBeTruthy();
  expect(registered.registration_access_token).toBeTruthy();
  const client: oauth.Client = { client_id: registered.client_id };
  const auth = oauth.ClientSecretBasic(registered.client_secret as string);

  // an ordinary portal app of the developer's
  const apps = await developer<{ items: Array<{ name: string }> }>("GET", "/apps?q=Registered%20by%20software");
  expect(apps.body.items.map((a) => a.name)).toContain("Registered by software");

  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const start = await codeRequest(as, client.client_id, verifier, { scope: "echo:read", state });
  const landed = await authorizeInBrowser(page, start, users.developer);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, oauth.validateAuthResponse(as, client, landed, state), redirectUri(), verifier, opts),
  );
  expect((await fetch(`${gatehouseUrl()}/gateway/echo/v1/registered`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);

  // the initial access token revoked: no more registrations
  expect((await developer("DELETE", `/initial-access-tokens/${initial.body.id}`)).status).toBe(204);
  const refused = await oauth
    .dynamicClientRegistrationRequest(as, { client_name: "Too late", redirect_uris: [redirectUri()] }, { initialAccessToken: initial.body.token, ...opts })
    .then((r) => oauth.processDynamicClientRegistrationResponse(r))
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
});

test("token exchange: an Okta id token and access token become Gatehouse tokens for the same user (oauth4webapi)", async ({ page }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const admin = await apiAs(users.admin);
  const oktaIssuer = `${developer.oktaUrl}/oauth2/default`;
  const seed = JSON.parse(await (await import("node:fs/promises")).readFile(`${process.env.GATEHOUSE_DATA_DIR}/okta-dev/seed.json`, "utf8")) as { apiToken: string };

  // the app's Okta client (Scenario 2), signing the user in at Okta directly
  const oktaClientRes = await fetch(`${developer.oktaUrl}/oauth2/v1/clients`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `SSWS ${seed.apiToken}` },
    body: JSON.stringify({
      client_name: "Exchange app at Okta",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: [redirectUri()],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  });
  expect(oktaClientRes.status).toBe(201);
  const oktaClientInfo = (await oktaClientRes.json()) as { client_id: string; client_secret: string };
  const okta = await oauth.processDiscoveryResponse(new URL(oktaIssuer), await oauth.discoveryRequest(new URL(oktaIssuer), { algorithm: "oidc", ...opts }));
  const oktaClient: oauth.Client = { client_id: oktaClientInfo.client_id };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const start = await codeRequest(okta, oktaClient.client_id, verifier, { scope: "openid profile email", state, nonce });
  const landed = await authorizeInBrowser(page, start, users.developer);
  const oktaTokens = await oauth.processAuthorizationCodeResponse(
    okta,
    oktaClient,
    await oauth.authorizationCodeGrantRequest(
      okta,
      oktaClient,
      oauth.ClientSecretBasic(oktaClientInfo.client_secret),
      oauth.validateAuthResponse(okta, oktaClient, landed, state),
      redirectUri(),
      verifier,
      opts,
    ),
    { expectedNonce: nonce },
  );
  expect(oktaTokens.id_token).toBeTruthy();

  const created = await developer<{ app: { id: string }; credential: { clientId: string; clientSecret: string } }>("POST", "/apps", {
    name: "Exchange app",
    redirectUris: [],
    products: ["echo"],
  });
  expect(created.status).toBe(201);
  const db = createDatabaseClient({ kind: "sqlite", file: gatehouseDatabaseFile() });
  try {
    await db.app.update({ where: { id: created.body.app.id }, data: { oktaClientId: oktaClientInfo.client_id } });
  } finally {
    await db.$disconnect();
  }
  const as = await discover();
  expect(as.grant_types_supported).toContain("urn:ietf:params:oauth:grant-type:token-exchange");
  const client: oauth.Client = { client_id: created.body.credential.clientId };
  const auth = oauth.ClientSecretBasic(created.body.credential.clientSecret);
  const exchange = (subjectToken: string, type: "access_token" | "id_token") =>
    oauth
      .genericTokenEndpointRequest(
        as,
        client,
        auth,
        "urn:ietf:params:oauth:grant-type:token-exchange",
        new URLSearchParams({ subject_token: subjectToken, subject_token_type: `urn:ietf:params:oauth:token-type:${type}`, scope: "echo:read" }),
        opts,
      )
      .then((r) => oauth.processGenericTokenEndpointResponse(as, client, r));

  // not allowed for this app yet
  await expect(exchange(oktaTokens.id_token!, "id_token")).rejects.toThrow();
  expect((await admin("PATCH", `/apps/${created.body.app.id}/settings`, { tokenExchangeIssuers: [oktaIssuer] })).status).toBe(200);

  for (const [subject, type] of [
    [oktaTokens.id_token!, "id_token"],
    [oktaTokens.access_token, "access_token"],
  ] as const) {
    const issued = await exchange(subject, type);
    expect(issued.issued_token_type).toBe("urn:ietf:params:oauth:token-type:access_token");
    const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, issued.access_token, opts));
    expect(introspection).toMatchObject({ active: true, sub: users.developer.id, client_id: client.client_id });
    expect((await fetch(`${gatehouseUrl()}/gateway/echo/v1/exchanged`, { headers: { authorization: `Bearer ${issued.access_token}` } })).status).toBe(200);
  }

  // another issuer only: refused
  expect((await admin("PATCH", `/apps/${created.body.app.id}/settings`, { tokenExchangeIssuers: ["https://other-idp.example.com"] })).status).toBe(200);
  const refused = await exchange(oktaTokens.id_token!, "id_token").catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(oauth.ResponseBodyError);
  expect((refused as oauth.ResponseBodyError).error).toBe("invalid_grant");
});
