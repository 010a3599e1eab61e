// The developer's forms with JavaScript off, as they behave before the page has hydrated: each
// is a real POST to a server action, a refusal comes back with plain messages under the fields
// and what was typed still there, and nothing typed — least of all a password — lands in a URL.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser, signUpUser } from "../harness/portal.ts";

const suffix = randomBytes(4).toString("hex");

/** Every URL the page asks for, to check that no form's contents travel in one. */
function requestedUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}

test("sign up with JavaScript off: rules shown up front, plain refusals, nothing in the URL", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls = requestedUrls(page);
  const email = `nojs-${suffix}@example.com`;
  const weak = `weakpw${suffix}`;
  const password = `Harbour-${randomBytes(5).toString("hex")}-T4z`;

  await page.goto(`${gatehouseUrl()}/signup`);
  // The password rules are on the page before anything is typed, tied to the field.
  const rules = page.getByTestId("password-rules");
  await expect(rules).toContainText("at least 8 characters");
  await expect(rules).toContainText("an uppercase letter");
  expect(await page.getByLabel("Password").getAttribute("aria-describedby")).toContain("password-rules");
  await expect(page.getByRole("main").getByRole("link", { name: "terms of use" })).toHaveAttribute("href", "/terms");

  // Refused: a weak password and the terms not accepted — messages under the fields, the rest kept.
  await page.getByLabel("First name").fill("Nora");
  await page.getByLabel("Last name").fill("Script");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(weak);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("acceptTerms-error")).toHaveText("Accept the terms of use to create an account.");
  await expect(page.getByLabel("First name")).toHaveValue("Nora");
  await expect(page.getByLabel("Last name")).toHaveValue("Script");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue(""); // never sent back
  expect(await page.content()).not.toContain(weak);

  // Okta's policy refuses the weak password: its words under the field.
  await page.getByLabel("Password").fill(weak);
  await page.getByLabel(/I accept the/).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("password-error")).toBeVisible();
  await expect(page.getByTestId("password-error")).not.toContainText(/expected|Too small|>=/);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel(/I accept the/)).toBeChecked();

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(email);

  for (const url of [...urls, page.url()]) {
    expect(url).not.toContain(encodeURIComponent(password));
    expect(url).not.toContain(password);
    expect(url).not.toContain(weak);
    expect(url).not.toContain(encodeURIComponent(email));
  }
  await context.close();

  // The account exists: signing in with it works.
  const jsContext = await browser.newContext();
  await signInInBrowser(await jsContext.newPage(), { login: email, password }, "/apps");
  await jsContext.close();
});

test("apps with JavaScript off: create (secret shown once), a refused form keeps its values, rotate, delete", async ({ browser }) => {
  test.setTimeout(150_000);
  const user = await signUpUser("nojs-apps");
  // Sign in with JavaScript (the Okta round trip), then carry the session into a context without it.
  const signedIn = await browser.newContext();
  await signInInBrowser(await signedIn.newPage(), user, "/apps");
  const storageState = await signedIn.storageState();
  await signedIn.close();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  const page = await context.newPage();
  const urls = requestedUrls(page);

  await page.goto(`${gatehouseUrl()}/apps/new`);
  await page.getByLabel("Name").fill("   ");
  await page.getByLabel("Description").fill("Typed before any script ran");
  await page.getByLabel("Redirect URIs (one per line)").fill("https://nojs.example.com/callback");
  await page.getByRole("radio", { name: /Public/ }).check();
  await page.getByRole("checkbox", { name: /Echo API/ }).check();
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByTestId("name-error")).toHaveText("Enter a name.");
  await expect(page.getByLabel("Description")).toHaveValue("Typed before any script ran");
  await expect(page.getByLabel("Redirect URIs (one per line)")).toHaveValue("https://nojs.example.com/callback");
  await expect(page.getByRole("radio", { name: /Public/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /Echo API/ })).toBeChecked();
  expect(new URL(page.url()).search).toBe("");

  // Plain words for a bad redirect URI too.
  await page.getByLabel("Name").fill(`No-JS app ${suffix}`);
  await page.getByLabel("Redirect URIs (one per line)").fill("http://nojs.example.com/callback");
  await page.getByRole("radio", { name: /Confidential/ }).check();
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByTestId("redirectUris-error")).toHaveText("Redirect URI must start with https:// (http:// only for localhost).");

  await page.getByLabel("Redirect URIs (one per line)").fill("https://nojs.example.com/callback");
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL((url) => /^\/apps\/[^/]+$/.test(url.pathname) && url.pathname !== "/apps/new");
  await expect(page.getByTestId("app-name")).toHaveText(`No-JS app ${suffix}`);
  await expect(page.getByTestId("subscription-echo").getByTestId("subscription-status")).toHaveText("approved");
  const secret = (await page.getByTestId("client-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(20);
  const firstRow = page.locator('tr[data-testid^="credential-"]');
  await expect(firstRow).toHaveCount(1);
  const firstClientId = (await firstRow.getAttribute("data-testid"))!.replace("credential-", "");
  // Shown once: a reload does not show it again.
  await page.reload();
  await expect(page.getByTestId("secret-panel")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // Rotation: add a credential (its secret shown once), then revoke the first one.
  await page.getByRole("button", { name: "Add credential" }).click();
  await expect(page.getByTestId("secret-panel")).toBeVisible();
  await expect(page.locator('tr[data-testid^="credential-"]')).toHaveCount(2);
  const old = page.getByTestId(`credential-${firstClientId}`);
  await old.getByText("Revoke", { exact: true }).click();
  await old.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(page.getByTestId(`credential-${firstClientId}`).getByTestId("credential-status")).toHaveText("revoked");

  // Edit through the plain link, then delete behind its confirmation.
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Description").fill("Changed without JavaScript");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changed without JavaScript")).toBeVisible();
  await page.getByText("Delete app", { exact: true }).click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await page.waitForURL((url) => url.pathname === "/apps");
  await expect(page.getByRole("link", { name: `No-JS app ${suffix}` })).toHaveCount(0);

  for (const url of urls) expect(url).not.toContain(secret);
  await context.close();
});

test("refused forms on an app's page answer with JavaScript off: the message under the field, nothing changed", async ({ browser }) => {
  test.setTimeout(120_000);
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ app: { id: string } }>("POST", "/apps", {
    name: `No-JS refusals ${suffix}`,
    products: ["echo"],
    redirectUris: ["https://nojs.example.com/cb"],
  });
  expect(created.status).toBe(201);
  const signedIn = await browser.newContext();
  await signInInBrowser(await signedIn.newPage(), users.developer, "/apps");
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.storageState() });
  await signedIn.close();
  const page = await context.newPage();
  const appPage = `${gatehouseUrl()}/apps/${created.body.app.id}`;

  await page.goto(appPage);
  await page.getByText("Restrict", { exact: true }).click();
  await page.locator('textarea[name="allowedCidrs"]').fill("not-a-range");
  await page.getByRole("button", { name: "Save restrictions" }).click();
  await expect(page.getByText(/is not an IPv4 or IPv6 address/).first()).toBeVisible();
  await expect(page.locator('textarea[name="allowedCidrs"]')).toHaveValue("not-a-range");

  await page.goto(appPage);
  await page.locator("summary", { hasText: /^Renew$/ }).click();
  await page.getByLabel(/Grace period in days/).fill("9999");
  await page.getByRole("button", { name: "Renew credential" }).click();
  await expect(page.getByText(/at most \d+ days/).first()).toBeVisible();

  await page.goto(appPage);
  await page.getByLabel("PEM certificate or its thumbprint").fill("not a certificate");
  await page.getByRole("button", { name: "Register certificate" }).click();
  await expect(page.getByText(/Paste one PEM certificate/).first()).toBeVisible();

  const app = await developer<{ credentials: Array<{ allowedCidrs: string[] }>; clientCertificateThumbprint?: string | null }>("GET", `/apps/${created.body.app.id}`);
  expect(app.body.credentials).toHaveLength(1);
  expect(app.body.credentials[0]!.allowedCidrs).toEqual([]);
  await context.close();
});

test("sign in with JavaScript off: the button is a form, Okta's login page and back, nothing in the URL", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls = requestedUrls(page);
  const user = seededUsers().developer;
  await page.goto(`${gatehouseUrl()}/signin?callbackUrl=${encodeURIComponent("/account")}`);
  await page.getByRole("button", { name: "Sign in with Okta" }).click();
  await page.getByLabel("Username").fill(user.login);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${gatehouseUrl()}/account`));
  await expect(page.getByTestId("signed-in-as")).toBeAttached();
  expect(urls.filter((u) => u.includes(encodeURIComponent(user.password)) || u.includes(user.password))).toEqual([]);

  // Another site cannot start a sign-in in this browser.
  const foreign = await page.request.post(`${gatehouseUrl()}/signin/okta`, {
    headers: { origin: "https://evil.example" },
    form: { csrfToken: "a".repeat(64), callbackUrl: "/apps" },
    maxRedirects: 0,
  });
  expect(foreign.status()).toBe(403);
  await context.close();
});

test("sign out everywhere with JavaScript off", async ({ browser }) => {
  const user = await signUpUser("nojs-out");
  const signedIn = await browser.newContext();
  await signInInBrowser(await signedIn.newPage(), user, "/account");
  const storageState = await signedIn.storageState();
  await signedIn.close();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  const page = await context.newPage();
  await page.goto(`${gatehouseUrl()}/account`);
  await expect(page.getByTestId("session-list").getByRole("listitem")).toHaveCount(1);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.goto(`${gatehouseUrl()}/account`);
  await page.waitForURL((url) => url.pathname === "/signin");
  await context.close();
});

test("with JavaScript the password rules tick off as you type, and the form passes axe", async ({ page }) => {
  await page.goto(`${gatehouseUrl()}/signup`);
  const rule = (id: string) => page.getByTestId("password-rules").locator(`li[data-rule="${id}"]`);
  await expect(rule("length")).not.toHaveAttribute("data-met", /./);
  await page.getByLabel("Email").fill("tick@example.com");
  // The ticks appear once the page has hydrated (the rules themselves are there before).
  await expect(async () => {
    await page.getByLabel("Password").fill("");
    await page.getByLabel("Password").pressSequentially("abcdefgh");
    await expect(rule("length")).toHaveAttribute("data-met", "true", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(rule("upper")).toHaveAttribute("data-met", "false");
  await page.getByLabel("Password").pressSequentially("X1");
  await expect(rule("upper")).toHaveAttribute("data-met", "true");
  await expect(rule("number")).toHaveAttribute("data-met", "true");
  await expect(page.getByLabel("Password")).toHaveValue("abcdefghX1");

  const results = await new AxeBuilder({ page }).include("main").analyze();
  expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
});
