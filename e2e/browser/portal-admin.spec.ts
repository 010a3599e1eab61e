// The admin console in Chromium: products and proxies created through their forms, an admin
// API key shown once and usable only until revoked, a developer suspended and reinstated, app
// settings changed, and the audit log filtered — each checked on the page and through the API.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser, signUpUser } from "../harness/portal.ts";
import { signIn as cookieSignIn } from "../harness/sign-in.ts";

const suffix = randomBytes(4).toString("hex");

test("an admin manages products, proxies, keys, developers and app settings from the console", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const users = seededUsers();
  const admin = await apiAs(users.admin);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInInBrowser(page, users.admin, "/admin/products");

  // A product through the form.
  await page.getByRole("link", { name: "New product" }).click();
  await page.getByLabel("Name").fill(`Console product ${suffix}`);
  await page.getByLabel("Slug").fill(`console-${suffix}`);
  await page.getByLabel("Scopes (space-separated)").fill("console:read console:write");
  await page.getByLabel("Approval").selectOption("manual");
  await page.getByLabel("Quota: calls (empty = none)").fill("500");
  await page.getByLabel("Quota: per seconds").fill("60");
  await page.getByLabel(/Access token format/).selectOption("jwt");
  await page.getByRole("button", { name: "Create product" }).click();
  await page.waitForURL((url) => url.pathname === "/admin/products");
  await expect(page.getByRole("link", { name: `Console product ${suffix}` })).toBeVisible();
  const product = await admin<{ id: string; approvalType: string; scopes: string[]; quotaLimit: number; accessTokenFormat: string }>("GET", `/products/console-${suffix}`);
  expect(product.body).toMatchObject({ approvalType: "manual", scopes: ["console:read", "console:write"], quotaLimit: 500, accessTokenFormat: "jwt" });

  // A proxy through the form: broken policy JSON is caught on the page, then it saves.
  await page.goto(`${gatehouseUrl()}/admin/proxies/new`);
  await page.getByLabel("Name").fill(`Console proxy ${suffix}`);
  await page.getByLabel("Target URL").fill("https://backend.example.com/api");
  await page.getByLabel("Base path (after /gateway/)").fill(`console-${suffix}`);
  await page.getByLabel("Policy chain (JSON").fill("[{");
  await page.getByRole("button", { name: "Create proxy" }).click();
  await expect(page.getByTestId("form-error")).toContainText("not valid JSON");
  await page.getByLabel("Policy chain (JSON").fill('[{"policy": "cors", "config": {"origins": ["https://app.example.com"]}}]');
  await page.getByRole("checkbox", { name: `Console product ${suffix}` }).check();
  await page.getByRole("button", { name: "Create proxy" }).click();
  await page.waitForURL((url) => url.pathname === "/admin/proxies");
  await expect(page.getByRole("link", { name: `Console proxy ${suffix}` })).toBeVisible();
  const proxies = await admin<{ items: Array<{ name: string; policies: unknown[]; products: Array<{ id: string }> }> }>("GET", "/proxies?limit=100");
  const proxy = proxies.body.items.find((p) => p.name === `Console proxy ${suffix}`)!;
  expect(proxy.policies).toEqual([{ policy: "cors", config: { origins: ["https://app.example.com"] } }]);
  expect(proxy.products).toEqual([expect.objectContaining({ id: product.body.id })]);

  // An admin API key: shown once, works as a bearer credential, stops working once revoked.
  await page.goto(`${gatehouseUrl()}/admin/api-keys`);
  await page.getByLabel("Name of the new key").fill(`ci-${suffix}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("client-secret").textContent())!.trim();
  const me = await fetch(`${gatehouseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  expect(me.status).toBe(200);
  await page.reload();
  await expect(page.getByTestId("secret-panel")).toHaveCount(0);
  const keyRow = page.getByRole("row", { name: new RegExp(`ci-${suffix}`) });
  await keyRow.getByText("Revoke…").click();
  await keyRow.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(keyRow).toContainText("revoked");
  expect((await fetch(`${gatehouseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);

  // A developer (signed up and signed in once) is suspended and reinstated.
  const { login: email, password } = await signUpUser("suspend");
  await cookieSignIn(gatehouseUrl(), email, password);
  await page.goto(`${gatehouseUrl()}/admin/developers`);
  await page.getByLabel("Search by name or email").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  const devRow = page.getByRole("row", { name: new RegExp(email) });
  await devRow.getByText("Suspend…").click();
  await devRow.getByRole("button", { name: "Yes, suspend" }).click();
  await expect(devRow).toContainText("suspended");
  await expect(cookieSignIn(gatehouseUrl(), email, password)).rejects.toThrow(); // no portal session for a suspended developer
  await devRow.getByRole("button", { name: "Reinstate" }).click();
  await expect(devRow).toContainText("active");
  await cookieSignIn(gatehouseUrl(), email, password);

  // App settings only admins may change.
  const demo = (await admin<{ items: Array<{ id: string; name: string }> }>("GET", "/apps?q=Demo%20app")).body.items[0]!;
  await page.goto(`${gatehouseUrl()}/admin/apps/${demo.id}`);
  await page.getByLabel("Allow the implicit flow").check();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  expect((await admin<{ implicitEnabled: boolean }>("GET", `/apps/${demo.id}`)).body.implicitEnabled).toBe(true);
  await page.getByLabel("Allow the implicit flow").uncheck();
  await expect.poll(async () => (await admin<{ implicitEnabled: boolean }>("GET", `/apps/${demo.id}`)).body.implicitEnabled).toBe(false);
  await page.getByText("Revoke all tokens…").click();
  await page.getByRole("button", { name: "Yes, revoke all tokens" }).click();
  await expect(page.getByRole("status").filter({ hasText: "token(s) revoked" })).toBeVisible();

  // A rejection with a reason reaches the developer's app page.
  const applicant = await signUpUser("applicant");
  const applicantApi = await apiAs(applicant);
  const applied = await applicantApi<{ app: { id: string } }>("POST", "/apps", { name: `Applicant app ${suffix}`, products: [`console-${suffix}`] });
  expect(applied.status).toBe(201);
  await page.goto(`${gatehouseUrl()}/admin/approvals`);
  const request = page.getByTestId(`queue-${applied.body.app.id}`);
  await request.getByText("Reject…").click();
  await request.getByLabel("Reason (shown to the developer)").fill("Tell us about your use case first.");
  await request.getByRole("button", { name: "Reject", exact: true }).click();
  await expect(page.getByTestId(`queue-${applied.body.app.id}`)).toHaveCount(0);
  const applicantContext = await browser.newContext();
  const applicantPage = await applicantContext.newPage();
  await signInInBrowser(applicantPage, applicant, `/apps/${applied.body.app.id}`);
  const subscription = applicantPage.getByTestId(`subscription-console-${suffix}`);
  await expect(subscription.getByTestId("subscription-status")).toHaveText("rejected");
  await expect(subscription).toContainText("Tell us about your use case first.");
  await applicantContext.close();

  // The audit log shows what happened, filtered by action.
  await page.goto(`${gatehouseUrl()}/admin/audit`);
  await page.getByLabel("Action (prefix, e.g. app.)").fill("developer.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "developer.suspended" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "product.created" })).toHaveCount(0);

  expect(dialogs).toEqual([]);
});
