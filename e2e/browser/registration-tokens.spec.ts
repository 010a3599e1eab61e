// Initial access tokens for dynamic client registration, with JavaScript off: a refused form says
// what to fix and keeps what was typed, a created token is shown once, revoking asks first —
// and a revoked token no longer registers clients.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { gatehouseUrl, signInInBrowser, signUpUser } from "../harness/portal.ts";

test("registration tokens with JavaScript off: refused form, token shown once, revoke", async ({ browser }) => {
  test.setTimeout(150_000);
  const label = `Pipeline ${randomBytes(3).toString("hex")}`;
  const user = await signUpUser("nojs-iat");
  const signedIn = await browser.newContext();
  await signInInBrowser(await signedIn.newPage(), user, "/apps");
  const storageState = await signedIn.storageState();
  await signedIn.close();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  const page = await context.newPage();

  await page.goto(`${gatehouseUrl()}/apps`);
  await page.getByRole("link", { name: "Registration tokens" }).click();
  await expect(page).toHaveURL(/\/apps\/registration-tokens$/);

  await page.getByLabel("Label").fill("   ");
  await page.getByLabel(/Maximum registrations/).fill("0");
  await page.getByRole("checkbox", { name: /Echo API/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("label-error")).toHaveText("Enter a label.");
  await expect(page.getByTestId("maxRegistrations-error")).toHaveText("Maximum registrations must be at least 1.");
  await expect(page.getByLabel(/Maximum registrations/)).toHaveValue("0");
  await expect(page.getByRole("checkbox", { name: /Echo API/ })).toBeChecked();

  await page.getByLabel("Label").fill(label);
  await page.getByLabel(/Maximum registrations/).fill("2");
  await page.getByLabel(/Expires after/).fill("30");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("secret-panel")).toBeVisible();
  const token = (await page.getByTestId("client-secret").textContent())!.trim();
  expect(token).toMatch(/^gth_iat_/);
  const row = page.getByRole("row", { name: new RegExp(label) });
  await expect(row).toContainText("0 / 2");
  await expect(row).toContainText("active");

  // Shown once: coming back to the page does not show it again (a reload would post the form anew).
  await page.goto(`${gatehouseUrl()}/apps/registration-tokens`);
  await expect(page.getByTestId("secret-panel")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  const registration = { grant_types: ["client_credentials"], client_name: "No-JS robot" };
  const register = () =>
    fetch(`${gatehouseUrl()}/oauth/register`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(registration),
    });
  expect((await register()).status).toBe(201);
  await page.goto(`${gatehouseUrl()}/apps/registration-tokens`);
  await expect(page.getByRole("row", { name: new RegExp(label) })).toContainText("1 / 2");

  await page
    .getByRole("row", { name: new RegExp(label) })
    .getByText("Revoke…")
    .click();
  await page.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByRole("row", { name: new RegExp(label) })).toContainText("revoked");
  expect((await register()).status).toBe(401);

  // The app it registered is an ordinary app, and says where it came from.
  await page.goto(`${gatehouseUrl()}/apps`);
  await page.getByRole("link", { name: "No-JS robot" }).click();
  await expect(page.getByTestId("registration-origin")).toContainText(label);
  await context.close();
});
