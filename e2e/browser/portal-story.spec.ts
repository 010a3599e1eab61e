// The portal story in Chromium, against the real server and okta-dev: sign up → sign in as the
// MFA user with a TOTP code → create an app on a manual-approval product → copy the secret
// (shown once, gone after reload) → the admin approves → the developer sees it approved → the
// admin revokes the credential → the developer sees it revoked.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

test.describe.configure({ mode: "serial" });

interface App {
  id: string;
  name: string;
  credentials: Array<{ id: string; clientId: string; status: string }>;
  subscriptions: Array<{ id: string; status: string; reason: string | null; product: { slug: string } }>;
}

const suffix = randomBytes(4).toString("hex");
const productSlug = `partner-${suffix}`;
const appName = `Story app ${suffix}`;

/** Collects what must never happen on a page: script dialogs, CSP violations, page errors. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

async function newPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { page, problems: watch(page), close: () => context.close() };
}

test("sign-up, MFA sign-in, app with a shown-once secret, approval and revocation", async ({ browser }) => {
  test.setTimeout(180_000);
  const users = seededUsers();
  const admin = await apiAs(users.admin);

  // An admin creates a manual-approval product through the API.
  const created = await admin<{ id: string }>("POST", "/products", {
    slug: productSlug,
    name: `Partner API ${suffix}`,
    description: "Needs an admin's approval.",
    scopes: ["partner:read"],
    approvalType: "manual",
  });
  expect(created.status).toBe(201);

  // 1. Sign up a new user: the form reports success, and Okta now knows the user.
  const visitor = await newPage(browser);
  const email = `story-${suffix}@example.com`;
  const password = `Tide-${randomBytes(5).toString("hex")}-Q7x`; // no part of the username (Okta policy)
  await visitor.page.goto(`${gatehouseUrl()}/signup`);
  await visitor.page.getByLabel("First name").fill("Story");
  await visitor.page.getByLabel("Last name").fill("Teller");
  await visitor.page.getByLabel("Email").fill(email);
  await visitor.page.getByLabel("Password").fill("short");
  await visitor.page.getByLabel("I accept the terms of use").check();
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await expect(visitor.page.getByTestId("form-error")).toBeVisible(); // weak password: refused on the form
  await visitor.page.getByLabel("Password").fill(password);
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await expect(visitor.page.getByRole("status")).toContainText(email);
  await expect(visitor.page.getByRole("link", { name: "Sign in" }).last()).toBeVisible();
  const authn = await fetch(`${admin.oktaUrl}/api/v1/authn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: email, password }),
  });
  expect(((await authn.json()) as { status: string }).status).toBe("SUCCESS");
  // Signing up twice with the same email looks like the first time (nobody learns who has an
  // account here), and the existing account keeps its password.
  await visitor.page.goto(`${gatehouseUrl()}/signup`);
  await visitor.page.getByLabel("First name").fill("Story");
  await visitor.page.getByLabel("Last name").fill("Again");
  await visitor.page.getByLabel("Email").fill(email);
  await visitor.page.getByLabel("Password").fill(`${password}-again`);
  await visitor.page.getByLabel("I accept the terms of use").check();
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await expect(visitor.page.getByRole("status")).toContainText(email);
  const stillOwn = await fetch(`${admin.oktaUrl}/api/v1/authn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: email, password }),
  });
  expect(((await stillOwn.json()) as { status: string }).status).toBe("SUCCESS");
  expect(visitor.problems).toEqual([]);
  await visitor.close();

  // 2. The MFA user signs in with password + TOTP.
  const dev = await newPage(browser, { permissions: ["clipboard-read", "clipboard-write"] });
  await signInInBrowser(dev.page, users.mfa, "/apps");
  await expect(dev.page.getByTestId("signed-in-as")).toHaveText("Mia Factor");
  await expect(dev.page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  // 3. A new app subscribed to the manual-approval product.
  await dev.page.getByRole("link", { name: "New app" }).click();
  await dev.page.getByLabel("Name").fill(appName);
  await dev.page.getByLabel("Description").fill("Made by the portal story");
  await dev.page.getByLabel("Redirect URIs (one per line)").fill("https://story.example.com/callback");
  await dev.page.getByRole("checkbox", { name: `Partner API ${suffix}` }).check();
  await dev.page.getByRole("button", { name: "Create app" }).click();
  await dev.page.waitForURL((url) => /^\/apps\/[^/]+$/.test(url.pathname) && url.pathname !== "/apps/new");
  const appId = new URL(dev.page.url()).pathname.split("/").pop()!;
  await expect(dev.page.getByTestId("app-name")).toHaveText(appName);
  await expect(dev.page.getByTestId(`subscription-${productSlug}`).getByTestId("subscription-status")).toHaveText("pending");

  // 4. The secret: shown once, copied to the clipboard, gone after a reload.
  const panel = dev.page.getByTestId("secret-panel");
  await expect(panel).toBeVisible();
  const secret = (await dev.page.getByTestId("client-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(30);
  await panel.getByRole("button", { name: "Copy secret" }).click();
  await expect(panel.getByRole("status")).toHaveText(/Copied/);
  expect(await dev.page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  const stored = await admin<App>("GET", `/apps/${appId}`);
  expect(stored.status).toBe(200);
  expect(stored.body.subscriptions[0]!.status).toBe("pending");
  expect(JSON.stringify(stored.body)).not.toContain(secret); // never returned again, not even to an admin
  const clientId = stored.body.credentials[0]!.clientId;
  await dev.page.reload();
  await expect(dev.page.getByTestId("app-name")).toHaveText(appName);
  await expect(dev.page.getByTestId("secret-panel")).toHaveCount(0);
  expect(await dev.page.content()).not.toContain(secret);
  await expect(dev.page.getByTestId(`credential-${clientId}`).getByTestId("credential-status")).toHaveText("active");

  // 5. The admin approves the subscription in the admin console.
  const adm = await newPage(browser);
  await signInInBrowser(adm.page, users.admin, "/admin/approvals");
  const item = adm.page.getByTestId(`queue-${appId}`);
  await expect(item).toContainText(appName);
  await expect(item).toContainText("mfa@okta-dev.local");
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(adm.page.getByTestId(`queue-${appId}`)).toHaveCount(0);
  expect((await admin<App>("GET", `/apps/${appId}`)).body.subscriptions[0]!.status).toBe("approved");

  // 6. The developer sees it approved.
  await dev.page.reload();
  await expect(dev.page.getByTestId(`subscription-${productSlug}`).getByTestId("subscription-status")).toHaveText("approved");

  // 6b. The app calls its API through the gateway (a proxy of the partner product in front of
  // the built-in echo backend): the backend sees the app, never the token; the developer sees
  // the call in the app's usage.
  const proxy = await admin("POST", "/proxies", {
    name: `Partner ${suffix}`,
    basePath: productSlug,
    version: "v1",
    targetUrl: `${gatehouseUrl()}/_echo`,
    productIds: [created.body.id],
  });
  expect(proxy.status).toBe(201);
  const tokenRes = await fetch(`${gatehouseUrl()}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    body: "grant_type=client_credentials",
  });
  expect(tokenRes.status).toBe(200);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const gatewayCall = () => fetch(`${gatehouseUrl()}/gateway/${productSlug}/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
  const echoed = await gatewayCall();
  expect(echoed.status).toBe(200);
  const seen = ((await echoed.json()) as { headers: Record<string, string> }).headers;
  expect(seen["x-gatehouse-app-id"]).toBe(appId);
  expect(seen["x-gatehouse-developer-id"]).toMatch(/\w/);
  expect(seen.authorization).toBeUndefined();
  await dev.page.goto(`${gatehouseUrl()}/apps/${appId}/usage`);
  await expect(async () => {
    await dev.page.reload();
    await expect(dev.page.getByRole("definition").nth(0)).toHaveText("1", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await dev.page.goto(`${gatehouseUrl()}/apps/${appId}`);

  // 7. The admin revokes the credential.
  await adm.page.goto(`${gatehouseUrl()}/admin/apps/${appId}`);
  const row = adm.page.getByTestId(`credential-${clientId}`);
  await row.getByText("Revoke credential…").click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row.getByTestId("credential-status")).toHaveText("revoked");
  expect((await admin<App>("GET", `/apps/${appId}`)).body.credentials[0]!.status).toBe("revoked");

  // The app's next gateway call is refused, and the backend is not reached.
  const refused = await gatewayCall();
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_token");

  // 8. The developer sees it revoked.
  await dev.page.reload();
  await expect(dev.page.getByTestId(`credential-${clientId}`).getByTestId("credential-status")).toHaveText("revoked");

  expect(dev.problems).toEqual([]);
  expect(adm.problems).toEqual([]);
  await dev.close();
  await adm.close();
});

test("the catalog renders a product's OpenAPI document without leaving the origin or breaking the CSP", async ({ page }) => {
  const problems = watch(page);
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(gatehouseUrl()) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) foreign.push(r.url());
  });
  await page.goto(`${gatehouseUrl()}/catalog`);
  await page.getByRole("link", { name: "Echo API" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Echo API", exact: true })).toBeVisible(); // Swagger UI renders an h1 of its own
  await expect(page.getByTestId("approval-type")).toContainText("automatic");
  await expect(page.getByRole("main").locator("code", { hasText: /^echo:read$/ })).toBeVisible();
  await expect(page.getByRole("main").locator("code", { hasText: /^echo:write$/ })).toBeVisible();
  await expect(page.getByTestId("openapi-reference").getByText("Echo a GET")).toBeVisible({ timeout: 20_000 });
  expect(await page.content()).not.toContain("targetUrl");
  expect(foreign).toEqual([]);
  expect(problems).toEqual([]);
});

test("admin pages are not found for developers, and the sign-in page refuses foreign callbacks", async ({ page }) => {
  const users = seededUsers();
  await page.goto(`${gatehouseUrl()}/signin?error=AccessDenied`);
  await expect(page.getByRole("alert").filter({ hasText: "suspended" })).toBeVisible();
  await page.goto(`${gatehouseUrl()}/apps/new`);
  expect(new URL(page.url()).pathname).toBe("/signin"); // signed-out visitors are sent to sign in…
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/apps/new"); // …and come back
  await signInInBrowser(page, users.developer, "/apps");
  const res = await page.goto(`${gatehouseUrl()}/admin/approvals`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  // Already signed in: /signin sends to the callback — only if it is a same-origin path.
  await page.goto(`${gatehouseUrl()}/signin?callbackUrl=${encodeURIComponent("//evil.example/")}`);
  expect(new URL(page.url()).origin).toBe(new URL(gatehouseUrl()).origin);
  expect(new URL(page.url()).pathname).toBe("/apps");
});
