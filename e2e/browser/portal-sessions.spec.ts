// "Sign out everywhere" on the account page in Chromium: it ends this browser's session and
// every other one of the developer (here a second sign-in, as a copied cookie would be), and
// the browser ends up signed out.
import { expect, test } from "@playwright/test";
import { gatehouseUrl, signInInBrowser, signUpUser } from "../harness/portal.ts";
import { signIn } from "../harness/sign-in.ts";

test("sign out everywhere ends the other sessions too", async ({ page }) => {
  const user = await signUpUser("everywhere");
  const elsewhere = await signIn(gatehouseUrl(), user.login, user.password);
  const me = () => fetch(`${gatehouseUrl()}/api/v1/me`, { headers: { cookie: elsewhere.cookie } });
  expect((await me()).status).toBe(200);

  await signInInBrowser(page, user, "/apps");
  await page.getByTestId("signed-in-as").click();
  await page.waitForURL(`${gatehouseUrl()}/account`);
  await expect(page.getByTestId("session-list").getByRole("listitem")).toHaveCount(2);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();

  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await me()).status).toBe(401);
  await page.goto(`${gatehouseUrl()}/account`);
  await page.waitForURL((url) => url.pathname === "/signin");
});
