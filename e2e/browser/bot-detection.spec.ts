// The admin console's Bot detection page in Chromium: an app enumerating /accounts/<n> through
// the demo echo proxy shows up as an Enumerator / Scraper detection with its evidence; one
// click makes a "block this identity" rule, and the app's next gateway call is refused.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

test.describe.configure({ mode: "serial" });

let token: string;
const agent = new http.Agent({ keepAlive: true, localAddress: "127.0.0.77" } as http.AgentOptions);
/** A gateway call from its own address (the other specs' 127.0.0.1 stays unflagged). */
const call = (path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = http.request(`${gatehouseUrl()}/gateway/echo/v1${path}`, { agent, headers: { authorization: `Bearer ${token}`, "user-agent": "okhttp/4.12.0" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });

test.beforeAll(async () => {
  const developer = await apiAs(seededUsers().developer);
  const created = await developer<{ credential: { clientId: string; clientSecret: string } }>("POST", "/apps", {
    name: `Enumerator ${randomBytes(3).toString("hex")}`,
    products: ["echo"],
    redirectUris: ["https://client.example/cb"],
  });
  expect(created.status).toBe(201);
  const { clientId, clientSecret } = created.body.credential;
  const tokenRes = await fetch(`${gatehouseUrl()}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
  token = ((await tokenRes.json()) as { access_token: string }).access_token;
  for (let id = 7000; id < 7025; id++) expect(await call(`/accounts/${id}`)).toBe(200);
});

test.afterAll(() => agent.destroy());

test("a detection with its evidence becomes a block rule in one click", async ({ page }) => {
  await signInInBrowser(page, seededUsers().admin, "/admin/bots");
  await page.getByTestId("signature-filter").selectOption("scraper");
  const row = page
    .getByTestId("detection")
    .filter({ hasText: /token:/ })
    .filter({ hasText: "127.0.0.77" })
    .first();
  await expect(async () => {
    await page.reload();
    await page.getByTestId("signature-filter").selectOption("scraper");
    await expect(row).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).toContainText("Enumerator / Scraper");
  await expect(row).toContainText("sequentialIds:");
  await expect(row).toContainText("flag");

  await page.getByTestId("one-click-action").selectOption("block");
  await row.getByRole("button", { name: "block this identity" }).click();
  await expect(page.getByRole("status")).toContainText(/Rule saved: identity token:\S+ → block/);
  await expect(
    page
      .getByTestId("rule")
      .filter({ hasText: /token:/ })
      .first(),
  ).toContainText("block");

  await expect.poll(() => call("/accounts/1"), { timeout: 5_000 }).toBe(403);
});
