// From sign-up to the first successful call, in Chromium: a stranger signs up, signs in,
// creates an app on an auto-approved product, copies the curl snippet from "Getting started",
// runs it with bash (the secret only in the environment) and sees the call in the app's usage.
import { expect, test, type Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

const run = promisify(execFile);
const suffix = randomBytes(4).toString("hex");

/** What must never happen on these pages: page errors and CSP violations. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

test("a stranger signs up and makes a first successful call with the copied curl snippet", async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await apiAs(seededUsers().admin);

  // An admin has published a product with an auto-approved proxy to the echo backend.
  const product = await admin<{ id: string }>("POST", "/products", {
    slug: `first-${suffix}`,
    name: `First Call API ${suffix}`,
    description: "Answers at once.",
    scopes: [`first-${suffix}:read`],
    approvalType: "auto",
  });
  expect(product.status).toBe(201);
  const proxy = await admin("POST", "/proxies", {
    name: `First ${suffix}`,
    basePath: `first-${suffix}`,
    version: "v1",
    targetUrl: `${gatehouseUrl()}/_echo`,
    productIds: [product.body.id],
  });
  expect(proxy.status).toBe(201);

  // 1. Sign up in the browser, then sign in.
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const problems = watch(page);
  const email = `first-${suffix}@example.com`;
  const password = `Kelp-${randomBytes(5).toString("hex")}-R2v`;
  await page.goto(`${gatehouseUrl()}/signup`);
  await page.getByLabel("First name").fill("First");
  await page.getByLabel("Last name").fill("Caller");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("I accept the terms of use").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(email);
  await signInInBrowser(page, { login: email, password }, "/apps");

  // 2. A new app on the product: the secret is shown once, and Getting started right with it.
  await page.goto(`${gatehouseUrl()}/apps/new`);
  await page.getByLabel("Name", { exact: true }).fill(`First app ${suffix}`);
  await page.getByRole("checkbox", { name: `First Call API ${suffix}` }).check();
  await page.getByRole("button", { name: "Create app" }).click();
  await page.waitForURL((url) => /^\/apps\/[^/]+$/.test(url.pathname) && url.pathname !== "/apps/new");
  const appId = new URL(page.url()).pathname.split("/").pop()!;
  const secret = (await page.getByTestId("client-secret").textContent())!.trim();
  expect(secret.length).toBeGreaterThan(30);
  const guide = page.getByTestId("getting-started");
  await expect(guide).toBeVisible();
  await expect(guide.getByTestId("getting-started-pending")).toHaveCount(0); // auto-approved

  // 3. The curl snippet, copied with its button: the secret is not in it.
  await expect(guide.getByRole("tab", { name: "curl" })).toHaveAttribute("aria-selected", "true");
  await guide.getByTestId("copy-snippet-curl").click();
  await expect(guide.getByText("Copied")).toBeVisible();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toBe(await guide.getByTestId("snippet-curl").textContent());
  expect(snippet).not.toContain(secret);
  expect(snippet).toContain(`/gateway/first-${suffix}/v1/`);

  // 4. Run it as a developer would, with the secret exported.
  const { stdout } = await run("bash", ["-c", snippet], { env: { PATH: process.env.PATH, GATEHOUSE_CLIENT_SECRET: secret } as unknown as NodeJS.ProcessEnv, timeout: 30_000 });
  expect(stdout).toMatch(/^HTTP\/1\.1 200/);
  const body = JSON.parse(stdout.slice(stdout.indexOf("\r\n\r\n") + 4)) as { path?: string; headers: Record<string, string> };
  expect(body.headers["x-gatehouse-app-id"]).toBe(appId);
  expect(body.headers.authorization).toBeUndefined();

  // 5. The call shows in the app's usage (analytics are written asynchronously).
  await page.goto(`${gatehouseUrl()}/apps/${appId}/usage`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("Loading…")).toHaveCount(0, { timeout: 5_000 }); // the usage query has answered
    await expect(page.getByRole("definition").nth(0)).toHaveText("1", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // Without JavaScript the app page still shows every snippet (and no dead copy buttons).
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const plain = await noScript.newPage();
  await plain.goto(`${gatehouseUrl()}/apps/${appId}`);
  for (const language of ["curl", "typescript", "fetch", "python"]) await expect(plain.getByTestId(`snippet-${language}`)).toBeVisible();
  await expect(plain.getByTestId("copy-snippet-curl")).toBeHidden();
  await noScript.close();

  // Once hydrated the snippets are tabs that the arrow keys move between.
  await page.goto(`${gatehouseUrl()}/apps/${appId}`);
  const tab = page.getByRole("tab", { name: "curl" });
  await tab.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "TypeScript SDK" })).toBeFocused();
  await expect(page.getByTestId("snippet-typescript")).toBeVisible();
  await expect(page.getByTestId("snippet-curl")).toBeHidden();

  expect(problems).toEqual([]);
  await context.close();
});
