// The proxy page's "Purge cache…" works before JavaScript loads: a native form post to the
// server action, after a question; the answer is shown on the page and the purge is audited.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

test("without JavaScript an admin purges a proxy's cached answers under a path prefix", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await apiAs(seededUsers().admin);
  const suffix = randomBytes(3).toString("hex");
  const proxy = await admin<{ id: string }>("POST", "/proxies", {
    name: `Cached ${suffix}`,
    basePath: `cached-${suffix}`,
    targetUrl: "https://api.example.com/",
    policies: [{ policy: "allow-anonymous" }, { policy: "response-cache", config: { ttlSeconds: 30 } }],
  });
  expect(proxy.status).toBe(201);

  const withJs = await browser.newContext();
  await signInInBrowser(await withJs.newPage(), seededUsers().admin, "/admin/proxies");
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await withJs.storageState() });
  const page = await noJs.newPage();
  await page.goto(`${gatehouseUrl()}/admin/proxies/${proxy.body.id}`);
  const purge = page.getByTestId("purge-cache");
  await purge.getByText("Purge cache…").click();
  await purge.getByLabel(/Only paths starting with/).fill("/users/");
  await purge.getByRole("button", { name: "Yes, purge" }).click();
  await expect(page.getByText("Cached answers under /users/ purged on every instance.")).toBeVisible();

  const audit = await admin<{ items: Array<{ action: string; targetId: string }> }>("GET", "/audit?action=proxy.cache_purged");
  expect(audit.body.items.some((e) => e.targetId === proxy.body.id)).toBe(true);
  await withJs.close();
  await noJs.close();
});
