// `npm run screenshots`: the portal's main pages as PNGs in docs/screenshots/ (shown in the
// README). Starts Gatehouse (production build: run `npx next build` first), adds a realistic
// product, proxy, app and a day of calls, and photographs the pages in Debian's Chromium.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { createDatabaseClient } from "../lib/db/client.ts";
import { CHROMIUM_ARGS, findChromium } from "../e2e/harness/chromium.ts";
import { PROJECT_DIR, startGatehouse } from "../e2e/harness/gatehouse.ts";
import { addSessionCookies, openConsentPage, seedPortalFixtures } from "../e2e/harness/portal-fixtures.ts";
import { readOktaSeed } from "../e2e/harness/portal-setup.ts";

const OUT = join(PROJECT_DIR, "docs", "screenshots");

interface Shot {
  file: string;
  path: string;
  who: "visitor" | "developer" | "admin";
  width: number;
  dark?: boolean;
}

/** A day of gateway calls for the app's usage charts: busier in the afternoon, a few errors. */
async function recordCalls(dataDir: string, appId: string) {
  const db = createDatabaseClient({ kind: "sqlite", file: join(dataDir, "gatehouse.db") });
  try {
    const now = Date.now();
    const data = [];
    for (let hour = 0; hour < 24; hour++) {
      const calls = 6 + Math.round(10 * Math.sin((hour / 24) * Math.PI) ** 2);
      for (let i = 0; i < calls; i++) {
        const status = i % 17 === 5 ? 404 : i % 29 === 11 ? 503 : 200;
        data.push({
          requestId: `screenshot-${hour}-${i}`,
          appId,
          method: i % 4 === 0 ? "POST" : "GET",
          path: i % 3 === 0 ? "/gateway/echo/v1/orders" : "/gateway/echo/v1/forecast",
          status,
          latencyMs: 18 + ((hour * 7 + i * 13) % 60),
          at: new Date(now - hour * 3_600_000 - i * 60_000),
        });
      }
    }
    await db.analyticsEvent.createMany({ data });
  } finally {
    await db.$disconnect();
  }
}

async function shoot(browser: Browser, url: string, cookie: string | undefined, shot: Shot, page?: Page) {
  const own = page ? null : await browser.newContext({ viewport: { width: shot.width, height: 900 }, colorScheme: shot.dark ? "dark" : "light" });
  if (own && cookie) await addSessionCookies(own, url, cookie);
  const target = page ?? (await own!.newPage());
  if (!page) await target.goto(`${url}${shot.path}`);
  await target.waitForLoadState("networkidle");
  await target.screenshot({ path: join(OUT, shot.file), fullPage: true, animations: "disabled" });
  await own?.close();
  console.log(`docs/screenshots/${shot.file}`);
}

const executablePath = findChromium();
if (!executablePath) {
  console.error("No Chromium found (install Debian's chromium, or set CHROMIUM_PATH).");
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const gatehouse = await startGatehouse();
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
try {
  const users = readOktaSeed(gatehouse).users;
  const { fixtures, cookies } = await seedPortalFixtures(gatehouse.url, users);
  await recordCalls(gatehouse.dataDir, fixtures.appId);
  const cookieOf = { visitor: undefined, developer: cookies.developer, admin: cookies.admin };
  const shots: Shot[] = [
    { file: "home.png", path: "/", who: "visitor", width: 1280 },
    { file: "catalog-product.png", path: `/catalog/${fixtures.slug}`, who: "developer", width: 1280 },
    { file: "app.png", path: `/apps/${fixtures.appId}`, who: "developer", width: 1280 },
    { file: "app-usage.png", path: `/apps/${fixtures.appId}/usage`, who: "developer", width: 1280 },
    { file: "admin-approvals.png", path: "/admin/approvals", who: "admin", width: 1280 },
    { file: "app-dark.png", path: `/apps/${fixtures.appId}`, who: "developer", width: 1280, dark: true },
    { file: "home-phone.png", path: "/", who: "visitor", width: 360 },
    { file: "app-phone.png", path: `/apps/${fixtures.appId}`, who: "developer", width: 360 },
  ];
  for (const shot of shots) await shoot(browser, gatehouse.url, cookieOf[shot.who], shot);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await addSessionCookies(context, gatehouse.url, cookies.developer);
  const page = await context.newPage();
  await openConsentPage(page, gatehouse.url, users.developer, fixtures.clientId);
  await shoot(browser, gatehouse.url, undefined, { file: "consent.png", path: "", who: "developer", width: 1280 }, page);
  await context.close();
} finally {
  await browser.close();
  await gatehouse.stop();
}
