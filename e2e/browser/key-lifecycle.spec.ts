// A developer renews and restricts a credential on the app's page. With JavaScript: the renew
// form shows the admin's maximum and the server refuses more, a wrong address range comes back
// with its reason. Without JavaScript, on a 360 px screen: a renewal shows the new secret once and
// the old credential "in grace period until …, replaced by …", restrictions are saved, and the
// open forms pass axe without scrolling sideways.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

const row = (page: Page, clientId: string) => page.getByTestId(`credential-${clientId}`);

test("renew and restrict a credential; without JavaScript at 360 px", async ({ browser }) => {
  test.setTimeout(120_000);
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ app: { id: string }; credential: { id: string; clientId: string } }>("POST", "/apps", {
    name: `Keys ${randomBytes(4).toString("hex")}`,
    products: ["echo"],
  });
  expect(created.status).toBe(201);
  const { app, credential } = created.body;

  const signing = await browser.newContext();
  const withJs = await signing.newPage();
  await signInInBrowser(withJs, users.developer, `/apps/${app.id}`);

  // refusals, answered in the page
  await row(withJs, credential.clientId).getByText("Renew", { exact: true }).click();
  const grace = row(withJs, credential.clientId).getByLabel(/Grace period in days \(0 to \d+\)/);
  const max = Number(await grace.getAttribute("max"));
  // the browser's own check would stop a number above max; the server's answer is what counts
  await grace.evaluate((input: HTMLInputElement) => input.removeAttribute("max"));
  await grace.fill(String(max + 1));
  await row(withJs, credential.clientId).getByRole("button", { name: "Renew credential" }).click();
  await expect(row(withJs, credential.clientId).getByTestId("form-error")).toContainText(`at most ${max} days`);
  await row(withJs, credential.clientId).getByText("Restrict", { exact: true }).click();
  await row(withJs, credential.clientId)
    .getByLabel(/Source address ranges/)
    .fill("10.0.0.1/8");
  await row(withJs, credential.clientId).getByRole("button", { name: "Save restrictions" }).click();
  await expect(
    row(withJs, credential.clientId)
      .getByText(/the range starts at 10\.0\.0\.0\/8/)
      .first(),
  ).toBeVisible();
  expect((await developer<{ credentials: unknown[] }>("GET", `/apps/${app.id}`)).body.credentials).toHaveLength(1);

  // the same session with JavaScript off, on a small screen
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signing.storageState(), viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${gatehouseUrl()}/apps/${app.id}`);
  await row(page, credential.clientId).getByText("Renew", { exact: true }).click();
  await row(page, credential.clientId)
    .getByLabel(/Grace period/)
    .fill("3");
  await row(page, credential.clientId).getByRole("button", { name: "Renew credential" }).click();
  await expect(page.getByText(/shown only this once/).first()).toBeVisible();
  const old = row(page, credential.clientId);
  await expect(old.getByTestId("credential-grace")).toContainText("In grace period until");
  await expect(old.getByTestId("credential-grace")).toContainText("in 3 days");
  await expect(old).toContainText("Replaced by gth_ci_");
  await expect(old.getByText("Renew", { exact: true })).toHaveCount(0); // renewed once

  await old.getByText("Restrict", { exact: true }).click();
  await old.getByLabel(/Source address ranges/).fill("10.0.0.0/8\n2001:db8::/32");
  await old.getByLabel(/Web pages/).fill("https://app.example.com/*");
  await old.getByRole("button", { name: "Save restrictions" }).click();
  await expect(row(page, credential.clientId).getByText("Restrictions (on)")).toBeVisible();
  const stored = await developer<{ credentials: Array<{ id: string; allowedCidrs: string[]; allowedReferrers: string[]; status: string }> }>("GET", `/apps/${app.id}`);
  expect(stored.body.credentials.find((c) => c.id === credential.id)).toMatchObject({
    status: "active",
    allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"],
    allowedReferrers: ["https://app.example.com/*"],
  });
  expect(stored.body.credentials).toHaveLength(2);
  await context.close();

  // the page with both credentials and every form open at 360 px (axe needs scripts): nothing
  // scrolls sideways, axe finds nothing serious
  await withJs.setViewportSize({ width: 360, height: 800 });
  await withJs.goto(`${gatehouseUrl()}/apps/${app.id}`);
  await withJs.locator("tr[data-testid^='credential-'] details").evaluateAll((all) => all.forEach((d) => d.setAttribute("open", "")));
  expect(await withJs.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  const axe = await new AxeBuilder({ page: withJs }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
  await signing.close();
});
