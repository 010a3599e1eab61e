import { expect, test } from "@playwright/test";

const url = () => process.env.GATEHOUSE_URL!;

test("the home page renders, hydrates and breaks no content-security rule", async ({ page }) => {
  const violations: string[] = [];
  const pageErrors: string[] = [];
  page.on("console", (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));

  const response = await page.goto(url());
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("APIs");
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Sign in");
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText("Sign up");
  // Next's client runtime ran (its scripts carried the nonce): the router is mounted.
  await page.waitForFunction(() => "next" in window && (window as unknown as { next: { router?: unknown } }).next.router !== undefined);
  await expect(page.locator("h2", { hasText: "From sign-up to your first call" })).toBeVisible();
  await expect(page.getByTestId("brand-mark")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toContainText("Terms of use");
  expect(violations).toEqual([]);
  expect(pageErrors).toEqual([]);
});
