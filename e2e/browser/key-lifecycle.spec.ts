// A developer renews and restricts a credential on the app's page with JavaScript off, on a
// 360 px screen: the renew form shows the admin's maximum and refuses more, a renewal shows the
// new secret once and the old credential "in grace period until …, replaced by …", a wrong
// address range comes back with its reason, and the open forms pass axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

test("renew and restrict a credential without JavaScript at 360 px", async ({ browser }) => {
  test.setTimeout(120_000);
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ app: { id: string }; credential: { id: string; clientId: string } }>("POST", "/apps", {
    name: `Keys ${randomBytes(4).toString("hex")}`,
    products: ["echo"],
  });
  expect(created.status).toBe(201);
  const { app, credential } = created.body;

  // signed in with JavaScript (the Okta page), then the same session with JavaScript off
  const signing = await browser.newContext();
  await signInInBrowser(await signing.newPage(), users.developer, `/apps/${app.id}`);
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signing.storageState(), viewport: { width: 360, height: 800 } });
  await signing.close();
  const page = await context.newPage();
  await page.goto(`${gatehouseUrl()}/apps/${app.id}`);

  const row = page.getByTestId(`credential-${credential.clientId}`);
  await row.getByText("Renew", { exact: true }).click();
  const grace = row.getByLabel(/Grace period in days \(0 to \d+\)/);
  await expect(grace).toBeVisible();
  const max = Number((await grace.getAttribute("max")) ?? "0");
  // the browser's own check would stop a number above max; the server's answer is what counts
  await grace.evaluate((input: HTMLInputElement) => input.removeAttribute("max"));
  await grace.fill(String(max + 1));
  await row.getByRole("button", { name: "Renew credential" }).click();
  await expect(page.getByTestId("form-error")).toContainText(`at most ${max} days`);

  await page.getByTestId(`credential-${credential.clientId}`).getByText("Renew", { exact: true }).click();
  await page
    .getByTestId(`credential-${credential.clientId}`)
    .getByLabel(/Grace period/)
    .fill("3");
  await page.getByTestId(`credential-${credential.clientId}`).getByRole("button", { name: "Renew credential" }).click();
  await expect(page.getByText(/shown only this once/).first()).toBeVisible();
  const old = page.getByTestId(`credential-${credential.clientId}`);
  await expect(old.getByTestId("credential-grace")).toContainText("In grace period until");
  await expect(old.getByTestId("credential-grace")).toContainText("in 3 days");
  await expect(old).toContainText("Replaced by gth_ci_");
  await expect(old.getByText("Renew", { exact: true })).toHaveCount(0); // renewed once

  await old.getByText("Restrict", { exact: true }).click();
  const ranges = old.getByLabel(/Source address ranges/);
  await ranges.fill("10.0.0.1/8");
  await old.getByRole("button", { name: "Save restrictions" }).click();
  await expect(page.getByTestId("form-error")).toContainText("the range starts at 10.0.0.0/8");
  await expect(page.getByTestId(`credential-${credential.clientId}`).getByLabel(/Source address ranges/)).toHaveValue("10.0.0.1/8");

  // the open forms at 360 px: nothing scrolls sideways, axe finds nothing serious
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);

  await page
    .getByTestId(`credential-${credential.clientId}`)
    .getByLabel(/Source address ranges/)
    .fill("10.0.0.0/8\n2001:db8::/32");
  await page.getByTestId(`credential-${credential.clientId}`).getByRole("button", { name: "Save restrictions" }).click();
  await expect(page.getByTestId(`credential-${credential.clientId}`).getByText("Restrictions (on)")).toBeVisible();
  const stored = await developer<{ credentials: Array<{ id: string; allowedCidrs: string[]; status: string; graceEndsAt: string | null }> }>("GET", `/apps/${app.id}`);
  expect(stored.body.credentials.find((c) => c.id === credential.id)).toMatchObject({ status: "active", allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"] });
  expect(stored.body.credentials).toHaveLength(2);
  await context.close();
});
