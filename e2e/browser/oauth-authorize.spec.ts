// Continuing the portal's story in Chromium: an app registered through the management API gets
// an authorization code by code + PKCE — Gatehouse's /oauth/authorize sends the browser to
// okta-dev's login page (which names the app), the MFA user signs in with a TOTP code, allows
// the app on the consent page (its publisher and the scope in words) — and the browser lands on
// the app's loopback redirect URI with code, state and iss. The app then redeems the code,
// reads the user's claims, refreshes, rotates its secret; the admin revokes the old credential
// and introspection says the token is no longer active.
import { expect, test } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signIn } from "../harness/sign-in.ts";
import { startRedirectReceiver, type RedirectReceiver } from "../harness/redirect-receiver.ts";
import { currentTotp } from "../../okta-dev/totp.ts";

const url = () => process.env.GATEHOUSE_URL!;
let receiver: RedirectReceiver;
let receiverPort: number;
let received: URL[];

test.beforeAll(async () => {
  receiver = await startRedirectReceiver(); // the app's side: records where the browser lands
  ({ port: receiverPort, received } = receiver);
});
test.afterAll(() => receiver.close());

test("an app gets tokens through Okta's login page (MFA) and the consent page; revoking its credential ends them", async ({ page }) => {
  const seed = JSON.parse(readFileSync(join(process.env.GATEHOUSE_DATA_DIR!, "okta-dev", "seed.json"), "utf8"));
  const developer = await signIn(url(), seed.users.developer.login, seed.users.developer.password);
  // registered without a port: loopback redirect URIs may use any port (RFC 8252)
  const created = await fetch(`${url()}/api/v1/apps`, {
    method: "POST",
    headers: { origin: url(), cookie: developer.cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "Browser <b>app</b>", redirectUris: ["http://127.0.0.1/cb"], products: ["echo"] }),
  });
  expect(created.status).toBe(201);
  const { app, credential } = (await created.json()) as { app: { id: string }; credential: { id: string; clientId: string; clientSecret: string } };

  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const redirectUri = `http://127.0.0.1:${receiverPort}/cb`;
  const authorize = new URL(`${url()}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: credential.clientId,
    redirect_uri: redirectUri,
    scope: "echo:read",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }))
    authorize.searchParams.set(k, v);

  await page.goto(authorize.toString());
  await expect(page.getByTestId("okta-dev-badge")).toBeVisible();
  // okta-dev names the app the user signs in for, not Gatehouse's delegation client
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to continue to Browser <b>app</b>");
  const { mfa } = seed.users;
  await page.getByLabel("Username").fill(mfa.login);
  await page.getByLabel("Password").fill(mfa.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Verification code").fill(currentTotp(mfa.totpSecret));
  await page.getByRole("button", { name: "Verify" }).click();

  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  const consent = await page.request.get(page.url());
  expect(consent.headers()["x-frame-options"]).toBe("DENY");
  expect(consent.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByTestId("consent-app-name")).toHaveText("Browser <b>app</b>");
  await expect(page.getByTestId("consent-scopes")).toContainText("echo:read");
  // who publishes the app, and what the scope allows in the product's words
  await expect(page.getByTestId("consent-publisher")).toHaveText("Dev Eloper");
  await expect(page.getByTestId("consent-scopes")).toContainText("Read what you sent through the Echo API");
  await page.getByRole("button", { name: "Allow" }).click();

  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  await expect(page.locator("body")).toContainText("app received the redirect");
  const landings = received.filter((u) => u.pathname === "/cb"); // the browser also asks for /favicon.ico
  expect(landings).toHaveLength(1);
  const landed = landings[0]!;
  expect(landed.searchParams.get("code")).toMatch(/^gth_ac_[A-Za-z0-9_-]{43}$/);
  expect(landed.searchParams.get("state")).toBe(state);
  expect(landed.searchParams.get("iss")).toBe(url());
  expect(landed.searchParams.has("error")).toBe(false);

  const admin = await signIn(url(), seed.users.admin.login, seed.users.admin.password);
  await continueAsTheApp({
    code: landed.searchParams.get("code")!,
    verifier,
    redirectUri,
    appId: app.id,
    credential,
    developerCookie: developer.cookie,
    adminCookie: admin.cookie,
  });
});

async function continueAsTheApp(options: {
  code: string;
  verifier: string;
  redirectUri: string;
  appId: string;
  credential: { id: string; clientId: string; clientSecret: string };
  developerCookie: string;
  adminCookie: string;
}) {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  const post = async (path: string, body: Record<string, string>, auth: string) => {
    const res = await fetch(`${url()}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth },
      body: new URLSearchParams(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const first = basic(options.credential.clientId, options.credential.clientSecret);
  const tokens = await post("/oauth/token", { grant_type: "authorization_code", code: options.code, redirect_uri: options.redirectUri, code_verifier: options.verifier }, first);
  expect(tokens.status).toBe(200);
  expect(tokens.json).toMatchObject({ token_type: "Bearer", scope: "echo:read" });
  expect(tokens.json.refresh_token).toMatch(/^gth_rt_/);

  // the user's claims come from the Okta id token Gatehouse kept (encrypted) for this token
  const userinfo = await fetch(`${url()}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  expect(userinfo.status).toBe(200);
  expect(await userinfo.json()).toMatchObject({ email: expect.stringContaining("mfa") });

  // the gateway: the demo echo proxy shows what its backend learns — the user's id-token
  // claims and the app, never the caller's token
  const echoed = await fetch(`${url()}/gateway/echo/v1/anything`, { headers: { authorization: `Bearer ${tokens.json.access_token}` } });
  expect(echoed.status).toBe(200);
  const seen = ((await echoed.json()) as { headers: Record<string, string> }).headers;
  expect(seen["x-gatehouse-user-email"]).toContain("mfa");
  expect(seen["x-gatehouse-user"]).toMatch(/\w/);
  expect(seen["x-gatehouse-app-id"]).toBe(options.appId);
  expect(seen.authorization).toBeUndefined();

  const refreshed = await post("/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.json.refresh_token }, first);
  expect(refreshed.status).toBe(200);

  // rotation: a second credential, then the admin revokes the first one
  const added = await fetch(`${url()}/api/v1/apps/${options.appId}/credentials`, { method: "POST", headers: { origin: url(), cookie: options.developerCookie } });
  const second = (await added.json()) as { clientId: string; clientSecret: string };
  const secondAuth = basic(second.clientId, second.clientSecret);
  expect((await post("/oauth/introspect", { token: refreshed.json.access_token }, secondAuth)).json.active).toBe(true);
  const revoked = await fetch(`${url()}/api/v1/apps/${options.appId}/credentials/${options.credential.id}`, {
    method: "DELETE",
    headers: { origin: url(), cookie: options.adminCookie },
  });
  expect(revoked.status).toBe(200);
  expect((await post("/oauth/introspect", { token: refreshed.json.access_token }, secondAuth)).json).toEqual({ active: false });
  const refused = await fetch(`${url()}/gateway/echo/v1/anything`, { headers: { authorization: `Bearer ${refreshed.json.access_token}` } });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_token");
  expect((await post("/oauth/token", { grant_type: "refresh_token", refresh_token: refreshed.json.refresh_token }, first)).status).toBe(401);
}
