// The admin console's destructive actions: each behind a question whose only acting button is
// "Yes, …"; with JavaScript disabled they still work (native form posts to server actions); a
// cancelled question changes nothing; the audit log names the admin instead of an id.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser, signUpUser } from "../harness/portal.ts";
import { signIn as cookieSignIn } from "../harness/sign-in.ts";

const suffix = randomBytes(4).toString("hex");

async function clientCredentialsStatus(clientId: string, clientSecret: string): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${gatehouseUrl()}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, error: body.error };
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The admin signed in with JavaScript on, then the same session in a context without it. */
async function adminWithoutJavaScript(browser: Browser): Promise<{ withJs: BrowserContext; noJs: BrowserContext }> {
  const withJs = await browser.newContext();
  const page = await withJs.newPage();
  await signInInBrowser(page, seededUsers().admin, "/admin/approvals");
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await withJs.storageState() });
  return { withJs, noJs };
}

test("without JavaScript an admin revokes a credential and tokens, suspends a developer and deletes a product, each after confirming", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await apiAs(seededUsers().admin);
  const me = (await admin<{ id: string; name: string; email: string }>("GET", "/me")).body;

  // A developer with an app whose credential gets tokens.
  const dev = await signUpUser("nojs");
  const devApi = await apiAs(dev);
  const created = await devApi<{ app: { id: string }; credential: { id: string; clientId: string; clientSecret: string } }>("POST", "/apps", {
    name: `No-JS app ${suffix}`,
    products: ["echo"],
    redirectUris: ["https://client.example/cb"],
  });
  expect(created.status).toBe(201);
  const { clientId, clientSecret } = created.body.credential;
  expect((await clientCredentialsStatus(clientId, clientSecret)).status).toBe(200);
  const { id: developerId, name: devName } = (await devApi<{ id: string; name: string }>("GET", "/me")).body;

  const { withJs, noJs } = await adminWithoutJavaScript(browser);
  const page = await noJs.newPage();

  // Revoke the credential: the summary only opens the question; "Yes, revoke" acts.
  await page.goto(`${gatehouseUrl()}/admin/apps/${created.body.app.id}`);
  await expect(page.getByText(`of ${devName} (${dev.login})`).first()).toBeVisible(); // the owner by name and email
  const row = page.getByTestId(`credential-${clientId}`);
  await row.getByText("Revoke credential…").click();
  await expect(row).toContainText(`Revoke credential ${clientId} of No-JS app ${suffix}?`);
  expect((await clientCredentialsStatus(clientId, clientSecret)).status).toBe(200); // opening the question did nothing
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByTestId(`credential-${clientId}`).getByTestId("credential-status")).toHaveText("revoked");
  expect(await clientCredentialsStatus(clientId, clientSecret)).toEqual({ status: 401, error: "invalid_client" });

  // Suspend the developer from the list (searched with a plain GET).
  await page.goto(`${gatehouseUrl()}/admin/developers`);
  await page.getByLabel("Search by name or email").fill(dev.login);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === dev.login);
  const devRow = page.getByRole("row", { name: new RegExp(dev.login) });
  await devRow.getByText("Suspend…").click();
  await expect(devRow).toContainText(`Suspend ${devName} (${dev.login})?`);
  await devRow.getByRole("button", { name: "Yes, suspend" }).click();
  await expect(page.getByRole("row", { name: new RegExp(dev.login) })).toContainText("suspended");
  expect((await admin<{ status: string }>("GET", `/developers/${developerId}`)).body.status).toBe("suspended");
  await expect(cookieSignIn(gatehouseUrl(), dev.login, dev.password)).rejects.toThrow();

  // The audit log names the admin and the developer, not their ids (the first page is rendered).
  await page.goto(`${gatehouseUrl()}/admin/audit`);
  const entry = page.getByRole("row").filter({ hasText: "developer.suspended" }).filter({ hasText: dev.login }).first();
  await expect(entry.getByTestId("audit-actor")).toContainText(`${me.name} <${me.email}>`);
  await expect(entry.getByTestId("audit-actor")).not.toContainText(me.id);
  await expect(entry.getByTestId("audit-target")).toContainText(`${devName} <${dev.login}>`);
  const revoked = page
    .getByRole("row")
    .filter({ hasText: "credential.revoked" })
    .filter({ hasText: `${clientId} of No-JS app ${suffix}` });
  await expect(revoked).toHaveCount(1);

  // Every token of the developer's apps, from the token page (a question after the fields).
  await page.goto(`${gatehouseUrl()}/admin/tokens`);
  await page.getByLabel("Every app of a developer").check();
  await page.getByLabel("Identifier").fill(developerId);
  await page.getByText("Revoke all tokens…").click();
  await page.getByRole("button", { name: "Yes, revoke them all" }).click();
  await expect(page.getByRole("status")).toContainText("token(s) revoked");

  // A product deleted from its editor page, back on the list.
  const product = await admin<{ id: string }>("POST", "/products", { slug: `doomed-${suffix}`, name: `Doomed ${suffix}`, scopes: [] });
  expect(product.status).toBe(201);
  await page.goto(`${gatehouseUrl()}/admin/products/${product.body.id}`);
  await page.getByText("Delete product…").click();
  await page.getByRole("button", { name: `Yes, delete Doomed ${suffix}` }).click();
  await page.waitForURL((url) => url.pathname === "/admin/products");
  expect((await admin("GET", `/products/${product.body.id}`)).status).toBe(404);

  await noJs.close();
  await withJs.close();
  await admin("PUT", `/developers/${developerId}/status`, { status: "active" });
});

test("with JavaScript a cancelled question changes nothing, and a confirmed one acts in place", async ({ page }) => {
  const admin = await apiAs(seededUsers().admin);
  const dev = await signUpUser("cancel");
  await cookieSignIn(gatehouseUrl(), dev.login, dev.password);
  await signInInBrowser(page, seededUsers().admin, "/admin/developers");
  await page.getByLabel("Search by name or email").fill(dev.login);
  await page.getByRole("button", { name: "Search" }).click();
  const devRow = page.getByRole("row", { name: new RegExp(dev.login) });
  await devRow.getByText("Suspend…").click();
  const yes = devRow.getByRole("button", { name: "Yes, suspend" });
  await expect(yes).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]); // the open question is accessible
  await devRow.getByRole("button", { name: "Cancel" }).click();
  await expect(yes).toBeHidden();
  await expect(devRow).toContainText("active");
  const listed = await admin<{ items: Array<{ email: string; status: string }> }>("GET", `/developers?q=${encodeURIComponent(dev.login)}`);
  expect(listed.body.items[0]).toMatchObject({ email: dev.login, status: "active" });
  await cookieSignIn(gatehouseUrl(), dev.login, dev.password); // still allowed in

  // Confirmed: done without leaving the page, the question closed and the list refreshed.
  await devRow.getByText("Suspend…").click();
  await yes.click();
  await expect(devRow.getByRole("button", { name: "Reinstate" })).toBeVisible();
  await expect(devRow).toContainText("suspended");
  await devRow.getByRole("button", { name: "Reinstate" }).click();
  await expect(devRow.getByText("Suspend…")).toBeVisible();
  await expect(devRow).toContainText("active");
});
