// Every portal page (e2e/harness/portal-pages.ts) at phone, tablet and desktop widths, in light
// and dark: nothing scrolls sideways, and axe finds no serious or critical WCAG 2.1 A/AA
// violation. One browser context per role (sessions set as cookies, not through the login page),
// one load per page and width; the colour scheme is switched on the loaded page.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { addSessionCookies, openConsentPage, seedPortalFixtures, type PortalFixtures } from "../harness/portal-fixtures.ts";
import { pagePath, PORTAL_PAGES, type Who } from "../harness/portal-pages.ts";
import { gatehouseUrl, seededUsers } from "../harness/portal.ts";

const WIDTHS = [360, 768, 1280];
const SCHEMES = ["light", "dark"] as const;

let fixtures: PortalFixtures;
const pages = new Map<Who, Page>();
const contexts: BrowserContext[] = [];

async function pageWith(browser: Browser, cookie?: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  if (cookie) await addSessionCookies(context, gatehouseUrl(), cookie);
  return context.newPage();
}

test.beforeAll(async ({ browser }) => {
  const seeded = await seedPortalFixtures(gatehouseUrl(), seededUsers());
  fixtures = seeded.fixtures;
  pages.set("visitor", await pageWith(browser));
  pages.set("developer", await pageWith(browser, seeded.cookies.developer));
  pages.set("admin", await pageWith(browser, seeded.cookies.admin));
});

test.afterAll(async () => {
  for (const context of contexts) await context.close();
});

/** What is wrong with the loaded page at this width, in both colour schemes (empty: nothing). */
async function problems(page: Page, width: number): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const where = `${width}px ${colorScheme}`;
    const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (overflow.scroll > overflow.inner) found.push(`${where}: scrolls sideways (${overflow.scroll} > ${overflow.inner})`);
    // Only colours change with the scheme: the dark pass checks contrast alone (axe is the slow part).
    const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
    const axe = await (colorScheme === "dark" ? builder.withRules(["color-contrast"]) : builder).analyze();
    for (const v of axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
    }
  }
  return found;
}

async function check(page: Page, url: string, expectStatus: number | null) {
  const found: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const response = await page.goto(url);
    if (expectStatus !== null) expect(response?.status(), url).toBe(expectStatus);
    await page.waitForLoadState("networkidle");
    found.push(...(await problems(page, width)));
  }
  expect(found, url).toEqual([]);
}

for (const entry of PORTAL_PAGES) {
  test(`${entry.path} as ${entry.who}`, async () => {
    test.setTimeout(120_000); // three loads and six axe passes; Swagger UI pages are the heaviest
    const page = pages.get(entry.who)!;
    const url = `${gatehouseUrl()}${pagePath(entry, fixtures)}`;
    await check(page, url, entry.notFound ? 404 : 200);
  });
}

test("the OAuth consent page", async () => {
  test.setTimeout(120_000);
  const page = pages.get("developer")!;
  const consent = await openConsentPage(page, gatehouseUrl(), seededUsers().developer, fixtures.clientId);
  await expect(page.getByTestId("consent-app-name")).toHaveText("Travel planner");
  await check(page, consent, null);
});
