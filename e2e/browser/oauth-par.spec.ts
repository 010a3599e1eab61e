// Pushed authorization requests and form_post in Chromium: an independent client (oauth4webapi)
// pushes its request, the browser carries only client_id and request_uri through okta-dev's
// login page and the consent page, and the code that comes back redeems for tokens. With
// response_mode=form_post the browser posts the answer to the app (the receiver records the
// form body) — by the page's script, and by the Continue button when scripts are off.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { apiAs, seededUsers, signInAtOkta } from "../harness/portal.ts";
import { startRedirectReceiver, type RedirectReceiver } from "../harness/redirect-receiver.ts";

const url = () => process.env.GATEHOUSE_URL!;
const opts = { [oauth.allowInsecureRequests]: true } as const;
let receiver: RedirectReceiver;

test.beforeAll(async () => {
  receiver = await startRedirectReceiver();
});
test.afterAll(() => receiver.close());

const redirectUri = () => `http://127.0.0.1:${receiver.port}/cb`;

type CreatedApp = { app: { id: string }; credential: { clientId: string; clientSecret: string } };

async function setUp() {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const admin = await apiAs(users.admin);
  const created = await developer<CreatedApp>("POST", "/apps", { name: `PAR browser app ${Date.now()}`, redirectUris: ["http://127.0.0.1/cb"], products: ["echo"] });
  expect(created.status).toBe(201);
  const app = { id: created.body.app.id as string, clientId: created.body.credential.clientId as string, secret: created.body.credential.clientSecret as string };
  // pushed requests only, as a careful admin would set it for this app
  expect((await admin("PATCH", `/apps/${app.id}/settings`, { requirePushedAuthorizationRequests: true })).status).toBe(200);
  const as = await oauth.processDiscoveryResponse(new URL(url()), await oauth.discoveryRequest(new URL(url()), { algorithm: "oauth2", ...opts }));
  return { users, app, as, client: { client_id: app.clientId } as oauth.Client, auth: oauth.ClientSecretBasic(app.secret) };
}

async function pushed(setup: Awaited<ReturnType<typeof setUp>>, state: string, extra: Record<string, string> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const params = {
    response_type: "code",
    redirect_uri: redirectUri(),
    scope: "echo:read",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  };
  const res = await oauth.pushedAuthorizationRequest(setup.as, setup.client, setup.auth, params, opts);
  const { request_uri } = await oauth.processPushedAuthorizationResponse(setup.as, setup.client, res);
  const authorize = new URL(setup.as.authorization_endpoint!);
  authorize.searchParams.set("client_id", setup.app.clientId);
  authorize.searchParams.set("request_uri", request_uri);
  return { authorize: authorize.toString(), verifier };
}

test("a pushed request through Okta's login and consent to a code, then tokens; form_post posts the answer", async ({ page, browser }) => {
  const setup = await setUp();
  const first = await pushed(setup, "par-1");
  await page.goto(first.authorize);
  await signInAtOkta(page, setup.users.developer);
  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));
  const callbackParams = oauth.validateAuthResponse(setup.as, setup.client, new URL(page.url()), "par-1");
  const tokens = await oauth.processAuthorizationCodeResponse(
    setup.as,
    setup.client,
    await oauth.authorizationCodeGrantRequest(setup.as, setup.client, setup.auth, callbackParams, redirectUri(), first.verifier, opts),
  );
  expect(tokens.access_token).toMatch(/^gth_at_/);
  expect(tokens.scope).toBe("echo:read");

  // the same request_uri again: an error page, no redirect
  await page.goto(first.authorize);
  await expect(page.getByTestId("oauth-error-code")).toHaveText("invalid_request_uri");

  // form_post: Okta's session and the remembered consent — the page posts the answer itself
  const second = await pushed(setup, "par-2", { response_mode: "form_post" });
  const before = receiver.posts.length;
  await page.goto(second.authorize);
  await page.waitForURL((u) => u.href.startsWith(redirectUri()));
  await expect(page.locator("body")).toContainText("app received the redirect");
  const post = receiver.posts.slice(before).find((p) => p.url.pathname === "/cb")!;
  expect(post.contentType).toBe("application/x-www-form-urlencoded");
  expect(new URL(page.url()).search).toBe(""); // nothing in the URL
  const posted = oauth.validateAuthResponse(setup.as, setup.client, post.body, "par-2");
  const viaPost = await oauth.processAuthorizationCodeResponse(
    setup.as,
    setup.client,
    await oauth.authorizationCodeGrantRequest(setup.as, setup.client, setup.auth, posted, redirectUri(), second.verifier, opts),
  );
  expect(viaPost.access_token).toMatch(/^gth_at_/);

  // without scripts: the Continue button posts it
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  try {
    const other = await noScript.newPage();
    const third = await pushed(setup, "par-3", { response_mode: "form_post" });
    await other.goto(third.authorize);
    await signInAtOkta(other, setup.users.developer);
    await other.waitForURL((u) => u.pathname === "/oauth/callback");
    const afterLogin = receiver.posts.length;
    await other.getByRole("button", { name: "Continue" }).click();
    await other.waitForURL((u) => u.href.startsWith(redirectUri()));
    const clicked = receiver.posts.slice(afterLogin).find((p) => p.url.pathname === "/cb")!;
    expect(clicked.body.get("state")).toBe("par-3");
    expect(clicked.body.get("iss")).toBe(url());
    expect(clicked.body.get("code")).toMatch(/^gth_ac_/);
  } finally {
    await noScript.close();
  }
});
