// A developer's app life cycle in Chromium: refused input shown on the form, rotation (add a
// credential — its secret shown once — then revoke the old one), usage charts (empty, then
// with recorded calls), and deletion behind a confirmation.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { createDatabaseClient } from "../../lib/db/client.ts";
import { apiAs, gatehouseDatabaseFile, gatehouseUrl, seededUsers, signInInBrowser, signUpUser } from "../harness/portal.ts";

interface App {
  id: string;
  credentials: Array<{ id: string; clientId: string; status: string }>;
}
const suffix = randomBytes(4).toString("hex");

test("create, rotate, watch usage and delete an app", async ({ page }) => {
  test.setTimeout(120_000);
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signInInBrowser(page, users.developer, "/apps/new");

  // A public client needs a redirect URI: refused with the reason under the field.
  await page.getByLabel("Name").fill(`Rotating ${suffix}`);
  await page.getByRole("radio", { name: /Public/ }).check();
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByTestId("form-error")).toContainText("redirect URI");
  await page.getByRole("radio", { name: /Confidential/ }).check();
  await page.getByRole("checkbox", { name: /Echo API/ }).check();
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL((url) => /^\/apps\/[^/]+$/.test(url.pathname) && url.pathname !== "/apps/new");
  const appId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("subscription-echo").getByTestId("subscription-status")).toHaveText("approved");
  await page.getByRole("button", { name: "I have stored it" }).click();
  await expect(page.getByTestId("secret-panel")).toHaveCount(0);

  // Rotation: a second credential with its own secret, then the first one revoked.
  const before = (await developer<App>("GET", `/apps/${appId}`)).body.credentials;
  await page.getByRole("button", { name: "Add credential" }).click();
  await expect(page.getByTestId("secret-panel")).toBeVisible();
  await expect.poll(async () => (await developer<App>("GET", `/apps/${appId}`)).body.credentials.length).toBe(2);
  const old = before[0]!;
  const row = page.getByTestId(`credential-${old.clientId}`);
  await row.getByText("Revoke", { exact: true }).click(); // a disclosure (details/summary): works without JavaScript
  await row.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row.getByTestId("credential-status")).toHaveText("revoked");
  const credentials = (await developer<App>("GET", `/apps/${appId}`)).body.credentials;
  expect(credentials.map((c) => c.status)).toEqual(["revoked", "active"]);

  // Usage: empty at first, then the calls the gateway would have recorded.
  await page.getByRole("link", { name: "Usage" }).click();
  await expect(page.getByText("No calls recorded in this period.")).toBeVisible();
  const db = createDatabaseClient({ kind: "sqlite", file: gatehouseDatabaseFile() });
  try {
    const now = Date.now();
    await db.analyticsEvent.createMany({
      data: [200, 200, 404, 503].map((status, i) => ({
        requestId: `usage-${suffix}-${i}`,
        appId,
        method: "GET",
        path: "/gateway/echo/v1/x",
        status,
        latencyMs: 10 * (i + 1),
        at: new Date(now - i * 60_000),
      })),
    });
  } finally {
    await db.$disconnect();
  }
  await page.reload();
  const totals = page.getByRole("definition");
  await expect(totals.nth(0)).toHaveText("4");
  await expect(totals.nth(1)).toHaveText("1");
  await expect(totals.nth(2)).toHaveText("1");
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  // Someone else's app's usage does not exist for this developer (BOLA).
  const stranger = await apiAs(await signUpUser("stranger"));
  expect((await stranger("GET", `/apps/${appId}/usage`)).status).toBe(404);
  expect((await developer<{ totals: { calls: number } }>("GET", `/apps/${appId}/usage`)).body.totals.calls).toBe(4);

  // Deletion asks first, then the app is gone.
  await page.goto(`${gatehouseUrl()}/apps/${appId}`);
  const deleteApp = page.getByText("Delete app", { exact: true }); // a disclosure (details/summary): works without JavaScript
  await deleteApp.click();
  await expect(page.getByRole("button", { name: "Delete permanently" })).toBeVisible();
  await deleteApp.click(); // changed my mind: closed again, nothing deleted
  await expect(page.getByRole("button", { name: "Delete permanently" })).toBeHidden();
  expect((await developer("GET", `/apps/${appId}`)).status).toBe(200);
  await deleteApp.click();
  await page.getByRole("button", { name: "Delete permanently" }).click();
  await page.waitForURL((url) => url.pathname === "/apps");
  await expect(page.getByRole("link", { name: `Rotating ${suffix}` })).toHaveCount(0);
  expect((await developer("GET", `/apps/${appId}`)).status).toBe(404);
  expect(dialogs).toEqual([]);
});
