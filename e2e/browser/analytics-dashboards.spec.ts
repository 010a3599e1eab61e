// The analytics dashboards in Chromium with data from real gateway calls: the seeded developer's
// app calls the demo echo proxy; the developer's page shows those calls (and only theirs) as
// charts, the admin console shows them with everyone's traffic — SVG drawn, numbers in the
// legends, and no CSP violation (recharts sets style attributes on its SVG).
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

test.describe.configure({ mode: "serial" });

function watch(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

const CALLS = 7;
let appName: string;

test.beforeAll(async () => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  appName = `Charted ${randomBytes(3).toString("hex")}`;
  const created = await developer<{ app: { id: string }; credential: { clientId: string; clientSecret: string } }>("POST", "/apps", {
    name: appName,
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
  expect(tokenRes.status).toBe(200);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  for (let i = 0; i < CALLS; i++) expect((await fetch(`${gatehouseUrl()}/gateway/echo/v1/charts/${i}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  expect((await fetch(`${gatehouseUrl()}/gateway/echo/v1/charts`)).status).toBe(401); // anonymous: the admin's charts only
});

async function expectCharts(page: Page) {
  const traffic = page.getByTestId("chart-traffic");
  await expect(traffic.locator("svg path.recharts-area-area").first()).toBeAttached();
  await expect(traffic.locator(".recharts-legend-item-text")).toContainText(["blocked", "calls", "errors (4xx + 5xx)"]); // recharts orders legend items by name;
  await expect(page.getByTestId("chart-latency").locator("svg path.recharts-line-curve")).toHaveCount(3);
  await expect(page.getByTestId("chart-security").locator("svg path.recharts-sector").first()).toBeAttached();
  await expect(page.getByTestId("top-apps").locator("svg path.recharts-rectangle, svg .recharts-bar-rectangle").first()).toBeAttached();
}

test("the developer's analytics page charts their own calls only", async ({ page }) => {
  const problems = watch(page);
  await signInInBrowser(page, seededUsers().developer, "/analytics");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("chart-traffic")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("button", { name: "Last hour" }).click();
  await expectCharts(page);
  const totals = page.getByRole("definition");
  expect(Number(await totals.nth(0).textContent())).toBeGreaterThanOrEqual(CALLS);
  await expect(page.getByText("Top developers")).toHaveCount(0);
  // the unauthenticated call is nobody's app: every call here is authenticated
  await expect(page.getByTestId("chart-security")).toContainText(/anonymous 0/);
  await expect(page.getByTestId("chart-security")).toContainText(/bot 0/);
  // hovering the top-apps chart shows this app's numbers in the tooltip
  await page.getByTestId("top-apps").locator(".recharts-bar-rectangle").first().hover();
  await expect(page.getByTestId("top-apps").locator(".recharts-tooltip-wrapper")).toContainText(/calls/);
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /\/api\/v1\/analytics\/export\.csv\?from=/);
  expect(problems).toEqual([]);
});

test("the admin analytics page charts everyone's calls, errors by status and security metrics", async ({ page }) => {
  const problems = watch(page);
  await signInInBrowser(page, seededUsers().admin, "/admin/analytics");
  await expect(page.getByRole("heading", { name: "Analytics and security metrics" })).toBeVisible();
  await expect(page.getByTestId("chart-traffic")).toBeVisible({ timeout: 20_000 });
  await expectCharts(page);
  await expect(page.getByTestId("chart-errors").locator(".recharts-bar-rectangle").first()).toBeAttached();
  await expect(page.getByTestId("chart-errors")).toContainText("401");
  await expect(page.getByTestId("top-developers").locator(".recharts-bar-rectangle").first()).toBeAttached();
  await expect(page.getByTestId("chart-security")).toContainText(/anonymous [1-9]/);
  await expect(page.getByTestId("chart-security-proxies").locator(".recharts-bar-rectangle").first()).toBeAttached();
  for (const range of ["24 hours", "7 days", "30 days"]) {
    await page.getByRole("button", { name: range }).click();
    await expect(page.getByRole("button", { name: range })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("chart-traffic").locator("svg path.recharts-area-area").first()).toBeAttached();
  }
  const csv = await page.request.get(`${gatehouseUrl()}${await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")}`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`top-apps,${appName},calls,${CALLS}`);
  expect(problems).toEqual([]);
});
