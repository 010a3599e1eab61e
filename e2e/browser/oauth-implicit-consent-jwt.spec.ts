// The rest of /oauth/authorize in Chromium, through okta-dev's login page: an implicit app an
// admin enabled gets its token in the URL fragment (the app's server never sees it) and the token
// works at /oauth/userinfo; the next authorization in the same browser skips both Okta's login
// (session) and the consent page (remembered), a wider scope asks again; prompt=none in a browser
// without an Okta session comes back with login_required. A JWT product's token, obtained by
// code + PKCE with an independent client (oauth4webapi), verifies with jose against /oauth/jwks.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { apiAs, seededUsers, signInAtOkta } from "../harness/portal.ts";
import { startRedirectReceiver, type RedirectReceiver } from "../harness/redirect-receiver.ts";

const url = () => process.env.GATEHOUSE_URL!;
let receiver: RedirectReceiver;
let receiverPort: number;
let received: URL[];

test.beforeAll(async () => {
  receiver = await startRedirectReceiver(); // the app's side: records where the browser lands
  ({ port: receiverPort, received } = receiver);
});
test.afterAll(() => receiver.close());

const redirectUri = () => `http://127.0.0.1:${receiverPort}/cb`;

type CreatedApp = { app: { id: string }; credential: { clientId: string; clientSecret: string } };

function authorizeUrl(params: Record<string, string>): string {
  const u = new URL(`${url()}/oauth/authorize`);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

test("implicit in the fragment, consent remembered, prompt=none without a session", async ({ page, browser }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const admin = await apiAs(users.admin);
  const created = await developer<CreatedApp>("POST", "/apps", { name: "Implicit browser app", type: "public", redirectUris: ["http://127.0.0.1/cb"], products: ["echo"] });
  expect(created.status).toBe(201);
  const clientId = created.body.credential.clientId as string;
  expect((await admin("PATCH", `/apps/${created.body.app.id}/settings`, { implicitEnabled: true })).status).toBe(200);

  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });
  const implicit = (state: string, scope = "echo:read") => authorizeUrl({ response_type: "token", client_id: clientId, redirect_uri: redirectUri(), state, scope });

  await page.goto(implicit("first"));
  await signInAtOkta(page, users.developer);
  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));
  const landed = new URL(page.url());
  expect(landed.search).toBe("");
  const answer = new URLSearchParams(landed.hash.slice(1));
  expect(answer.get("token_type")).toBe("Bearer");
  expect(answer.get("state")).toBe("first");
  expect(answer.get("iss")).toBe(url());
  expect(Number(answer.get("expires_in"))).toBeLessThanOrEqual(900);
  expect(answer.has("refresh_token")).toBe(false);
  // the fragment never reaches the app's server
  expect(received.filter((u) => u.pathname === "/cb").every((u) => u.search === "")).toBe(true);
  const userinfo = await fetch(`${url()}/oauth/userinfo`, { headers: { authorization: `Bearer ${answer.get("access_token")}` } });
  expect(userinfo.status).toBe(200);
  expect((await userinfo.json()).sub).toBe(users.developer.id);

  // again in the same browser: Okta's session and the remembered consent — no page at all
  visited.length = 0;
  await page.goto(implicit("second"));
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));
  expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("state")).toBe("second");
  expect(visited.some((v) => new URL(v).pathname === "/oauth/consent")).toBe(false);

  // a wider scope asks again
  await page.goto(implicit("third", "echo:read echo:write"));
  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  await expect(page.getByTestId("consent-scopes")).toContainText("echo:write");

  // prompt=none in a browser without an Okta session: login_required, back at the app
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    const verifier = oauth.generateRandomCodeVerifier();
    await other.goto(
      authorizeUrl({
        response_type: "code",
        client_id: clientId,
        redirect_uri: redirectUri(),
        state: "silent",
        scope: "echo:read",
        prompt: "none",
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      }),
    );
    await other.waitForURL((u) => u.href.startsWith(redirectUri()));
    const silent = new URL(other.url());
    expect(silent.searchParams.get("error")).toBe("login_required");
    expect(silent.searchParams.get("state")).toBe("silent");
    expect(silent.searchParams.get("iss")).toBe(url());
  } finally {
    await fresh.close();
  }
});

test("a JWT product's access token from code + PKCE verifies against /oauth/jwks (oauth4webapi, jose)", async ({ page }) => {
  const users = seededUsers();
  const admin = await apiAs(users.admin);
  const developer = await apiAs(users.developer);
  const product = await admin("POST", "/products", { slug: "ledger-browser", name: "Ledger", scopes: ["ledger:read"], accessTokenFormat: "jwt" });
  expect(product.status).toBe(201);
  const created = await developer<CreatedApp>("POST", "/apps", { name: "JWT browser app", redirectUris: ["http://127.0.0.1/cb"], products: ["ledger-browser"] });
  expect(created.status).toBe(201);
  const client: oauth.Client = { client_id: created.body.credential.clientId };
  const auth = oauth.ClientSecretBasic(created.body.credential.clientSecret);
  const opts = { [oauth.allowInsecureRequests]: true } as const;
  const as = await oauth.processDiscoveryResponse(new URL(url()), await oauth.discoveryRequest(new URL(url()), { algorithm: "oauth2", ...opts }));

  const verifier = oauth.generateRandomCodeVerifier();
  const state = randomBytes(16).toString("base64url");
  const start = new URL(as.authorization_endpoint!);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri(),
    scope: "ledger:read",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }))
    start.searchParams.set(k, v);
  await page.goto(start.toString());
  await signInAtOkta(page, users.developer);
  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));

  const params = oauth.validateAuthResponse(as, client, new URL(page.url()), state);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri(), verifier, opts));
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(as.jwks_uri!)), {
    typ: "at+jwt",
    issuer: url(),
    audience: "ledger-browser",
    algorithms: ["RS256"],
  });
  expect(protectedHeader.typ).toBe("at+jwt");
  expect(payload).toMatchObject({ sub: users.developer.id, client_id: client.client_id, scope: "ledger:read" });
  expect(typeof payload.auth_time).toBe("number");
  const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, opts));
  expect(introspection).toMatchObject({ active: true, sub: users.developer.id });
});
