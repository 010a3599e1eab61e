// A team invitation from end to end, in Chromium: an owner creates a team and an app in it,
// invites an address; in a fresh browser the invited person opens the dev inbox (/dev/mail, the
// in-process mail catcher's page), follows the link in the email, signs up from the invitation
// page, signs in, comes back to it, joins, and sees the team's app on /apps.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

const suffix = randomBytes(4).toString("hex");

test("an invited person signs up from the email link and sees the team's app", async ({ browser }) => {
  test.setTimeout(180_000);
  const teamName = `Crew ${suffix}`;
  const appName = `Crew app ${suffix}`;
  const email = `crew-${suffix}@example.com`;
  const password = `Tide-${randomBytes(5).toString("hex")}-Q7m`;

  // 1. The owner: a team, an app owned by it, an invitation.
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signInInBrowser(owner, seededUsers().developer, "/teams");
  await owner.getByLabel("Team name").fill(teamName);
  await owner.getByRole("button", { name: "Create team" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText(teamName);
  const teamUrl = owner.url();

  await owner.getByRole("link", { name: "New team app" }).click();
  await owner.waitForURL((url) => url.pathname === "/apps/new");
  await expect(owner.getByLabel("Owner", { exact: true })).toHaveValue(new URL(teamUrl).pathname.split("/").pop()!);
  await owner.getByLabel("Name", { exact: true }).fill(appName);
  await owner.getByRole("button", { name: "Create app" }).click();
  await owner.waitForURL((url) => /^\/apps\/[^/]+$/.test(url.pathname) && url.pathname !== "/apps/new");
  await expect(owner.getByTestId("app-owner")).toContainText(teamName);

  await owner.goto(teamUrl);
  await owner.getByLabel("Email address").fill(email);
  await owner.getByLabel("Role", { exact: true }).selectOption("viewer");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByRole("status")).toContainText(email);
  await expect(owner.getByTestId("team-invitations")).toContainText(email);
  await ownerContext.close();

  // 2. The invited person, in a browser of their own: the email in the dev inbox (sent by the worker).
  const context = await browser.newContext();
  const page = await context.newPage();
  await expect(async () => {
    await page.goto(`${gatehouseUrl()}/dev/mail`);
    await expect(page.getByRole("link", { name: new RegExp(teamName) }).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await page
    .getByRole("link", { name: new RegExp(teamName) })
    .first()
    .click();
  const accept = page
    .getByRole("link", { name: /\/teams\/invitations\// })
    .or(page.locator('a[href*="/teams/invitations/"]'))
    .first();
  await accept.click();
  await expect(page).toHaveURL(/\/teams\/invitations\/gth_inv_/);
  const invitationPath = new URL(page.url()).pathname;
  await expect(page.getByRole("main")).toContainText(teamName);

  // 3. Sign up from the invitation page, then sign in and come back to it.
  await page.getByRole("link", { name: "Sign up" }).last().click();
  await page.getByLabel("First name").fill("Crew");
  await page.getByLabel("Last name").fill("Member");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("I accept the terms of use").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(email);
  await signInInBrowser(page, { login: email, password }, invitationPath);

  // 4. Join, and the team's app is among the person's apps.
  await page.getByRole("button", { name: `Join ${teamName}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(teamName);
  await expect(page.getByTestId("team-role")).toHaveText("viewer");
  await page.goto(`${gatehouseUrl()}/apps`);
  await expect(page.getByRole("link", { name: appName })).toBeVisible();
  await context.close();
});
