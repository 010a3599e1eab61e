import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

async function noHorizontalScroll(page: Page) {
  // the content this slice owns (the site header is laid out elsewhere)
  expect(await page.evaluate(() => [...document.querySelectorAll("main *")].every((el) => el.getBoundingClientRect().right <= window.innerWidth + 1))).toBe(true);
}

test.describe("portal branding and guides", () => {
  test.use({ viewport: { width: 360, height: 800 } });

  test("an admin saves branding with the native form before any script runs; the pages fit 360 px and pass axe", async ({ browser }) => {
    const signedIn = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await signInInBrowser(await signedIn.newPage(), seededUsers().admin, "/admin/branding");
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 }, storageState: await signedIn.storageState() });
    await signedIn.close();
    const page = await context.newPage();
    await page.goto(`${gatehouseUrl()}/admin/branding`);
    await page.getByLabel("Tagline (home page)").fill("Build on our APIs today");
    await page.getByRole("button", { name: "Save branding" }).click();
    await expect(page.getByRole("status")).toContainText("Branding saved.");
    await expect(page.getByLabel("Tagline (home page)")).toHaveValue("Build on our APIs today");
    await page.goto(`${gatehouseUrl()}/`);
    await expect(page.getByTestId("tagline")).toHaveText("Build on our APIs today");
    await page.goto(`${gatehouseUrl()}/admin/branding`);
    await page.getByLabel("Tagline (home page)").fill("");
    await page.getByRole("button", { name: "Save branding" }).click();
    await expect(page.getByRole("status")).toContainText("Branding saved.");
    await context.close();
  });

  test("home, terms, guides and the admin pages pass axe at 360 px", async ({ page }) => {
    for (const path of ["/", "/terms", "/guides"]) {
      await page.goto(`${gatehouseUrl()}${path}`);
      await noHorizontalScroll(page);
      await noSeriousViolations(page);
    }
    await signInInBrowser(page, seededUsers().admin, "/admin/branding");
    await noHorizontalScroll(page);
    await noSeriousViolations(page);
    await page.goto(`${gatehouseUrl()}/admin/guides/new`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Text (Markdown; HTML is not rendered)").fill("# Hello\n\n<script>alert(1)</script>\n\nSome **bold** text");
    await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("bold");
    await expect(page.getByRole("region", { name: "Preview" }).locator("script")).toHaveCount(0);
    await noHorizontalScroll(page);
    await noSeriousViolations(page);
  });
});
