// Notifications in the browser, with native forms: an event appears in the list and as the
// header's unread count, "Mark read" clears it; the email is in the dev inbox with its link; a
// webhook endpoint is added (a refused URL explains why), shows its secret, sends a test event
// that appears in its delivery log. Each page at 360 px and 1280 px has no sideways scrolling
// and no serious axe violation, light and dark.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { createDatabaseClient, closeDatabaseClient } from "../../lib/db/client.ts";
import { recordEvent } from "../../lib/notifications/outbox.ts";
import { addSessionCookies } from "../harness/portal-fixtures.ts";
import { gatehouseDatabaseFile, gatehouseUrl, seededUsers } from "../harness/portal.ts";
import { signIn } from "../harness/sign-in.ts";

async function problems(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (overflow.scroll > overflow.inner) found.push(`${width}px ${colorScheme}: scrolls sideways`);
      const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
      const axe = await (colorScheme === "dark" ? builder.withRules(["color-contrast"]) : builder).analyze();
      for (const v of axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical"))
        found.push(`${width}px ${colorScheme}: ${v.id} ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
    }
  }
  return found;
}

test("notifications, the dev inbox and webhook endpoints work with native forms and pass axe at 360 px", async ({ browser }) => {
  test.setTimeout(180_000);
  const url = gatehouseUrl();
  const { developer } = seededUsers();
  const session = await signIn(url, developer.login, developer.password);
  const context = await browser.newContext(); // plain forms and links: nothing here needs script (axe needs it)
  await addSessionCookies(context, url, session.cookie);
  const page = await context.newPage();

  // an event, as a change records it
  const tag = randomBytes(3).toString("hex");
  const db = createDatabaseClient({ kind: "sqlite", file: gatehouseDatabaseFile() });
  try {
    const me = await db.developer.findFirstOrThrow({ where: { email: developer.login } });
    await recordEvent(db, { type: "app.suspended", developerId: me.id, payload: { appName: `Travel ${tag}`, reason: "unpaid invoice" } });
  } finally {
    await closeDatabaseClient(db);
  }

  await expect(async () => {
    await page.goto(`${url}/notifications`);
    await expect(page.getByText(`App Travel ${tag} suspended`)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("unread-count").first()).toBeAttached();
  expect(await problems(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: `Mark read: App Travel ${tag} suspended` }).click();
  await expect(page.getByRole("status")).toHaveText("Marked as read.");
  await expect(page.getByRole("button", { name: `Mark read: App Travel ${tag} suspended` })).toHaveCount(0);

  // the same event by email, in the development inbox
  await page.goto(`${url}/dev/mail`);
  expect(await problems(page)).toEqual([]);
  await page.getByRole("link", { name: `App Travel ${tag} suspended` }).click();
  await expect(page.getByTestId("dev-mail-text")).toContainText("unpaid invoice");
  await expect(page.getByTestId("dev-mail-text").getByRole("link", { name: `${url}/apps` })).toBeVisible();
  expect(await problems(page)).toEqual([]);

  // a webhook endpoint
  await page.goto(`${url}/account/webhooks`);
  await page.getByLabel("URL (https)").fill("http://example.com/hook");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "URL must be https://" })).toBeVisible();
  expect(await problems(page)).toEqual([]);
  await page.getByLabel("URL (https)").fill(`https://hooks-${tag}.example.com/gatehouse`);
  await page.getByLabel("app.revoked").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByRole("status")).toContainText("Test event queued");
  await expect(page.getByTestId("webhook-deliveries")).toContainText("webhook.test");
  expect(await problems(page)).toEqual([]);
  await context.close();
});
