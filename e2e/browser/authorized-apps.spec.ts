// An end user in Chromium: signed in to the portal, they allow an app (the consent page names
// its publisher and says what the scope allows), then find it under Account → "Apps you
// allowed" and remove its access with the page's plain form — at phone width, accessibly.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { createHash, randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";
import { startRedirectReceiver, type RedirectReceiver } from "../harness/redirect-receiver.ts";

let receiver: RedirectReceiver;
test.beforeAll(async () => {
  receiver = await startRedirectReceiver();
});
test.afterAll(() => receiver.close());

async function seriousViolations(page: import("@playwright/test").Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
}

test("a person sees the apps they allowed and removes one's access", async ({ page }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ credential: { clientId: string } }>("POST", "/apps", { name: "Photo printer", redirectUris: ["http://127.0.0.1/cb"], products: ["echo"] });
  expect(created.status).toBe(201);

  await page.setViewportSize({ width: 360, height: 800 });
  await signInInBrowser(page, { login: users.mfa.login, password: users.mfa.password, totpSecret: users.mfa.totpSecret }, "/account");

  const redirectUri = `http://127.0.0.1:${receiver.port}/cb`;
  const authorize = new URL(`${gatehouseUrl()}/oauth/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: created.body.credential.clientId,
    redirect_uri: redirectUri,
    scope: "echo:read",
    state: randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  // signed in at okta-dev already: straight to the consent page
  await page.goto(authorize.toString());
  await page.waitForURL((u) => u.pathname === "/oauth/consent");
  await expect(page.getByTestId("consent-app-name")).toHaveText("Photo printer");
  await expect(page.getByTestId("consent-publisher")).toHaveText("Dev Eloper");
  await expect(page.getByTestId("consent-scopes")).toContainText("Read what you sent through the Echo API");
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri));

  await page.goto(`${gatehouseUrl()}/account`);
  await page.getByTestId("account-apps-link").click();
  await page.waitForURL((u) => u.pathname === "/account/apps");
  const app = page.getByTestId("authorized-app").filter({ hasText: "Photo printer" });
  await expect(app).toBeVisible();
  await expect(app.getByTestId("authorized-app-publisher")).toHaveText("Dev Eloper");
  await expect(app).toContainText("Read what you sent through the Echo API");
  // the page's own content fits a phone (the site header is laid out elsewhere)
  const overflowing = await page.evaluate(() => [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > 360).map((e) => e.tagName));
  expect(overflowing).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);

  await app.getByRole("button", { name: "Remove access for Photo printer" }).click();
  await page.waitForURL((u) => u.pathname === "/account/apps" && u.searchParams.get("removed") === "1");
  await expect(page.getByRole("status")).toContainText("Access removed");
  await expect(page.getByTestId("authorized-app").filter({ hasText: "Photo printer" })).toHaveCount(0);
});
