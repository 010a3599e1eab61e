// "Try it" in the catalog's Swagger UI: authorize with client credentials against Gatehouse,
// execute a GET through the gateway to the echo backend, all under the page CSP; register the
// Try-it redirect URI with a plain form post; the redirect page's nonce'd script runs.
import { expect, test, type Page } from "@playwright/test";
import { apiAs, gatehouseUrl, signInInBrowser, signUpUser } from "../harness/portal.ts";

/** CSP violations as the page reports them, plus console messages and page errors. */
async function watchCsp(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  await page.exposeFunction("reportCspViolation", (text: string) => problems.push(`securitypolicyviolation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation: (t: string) => void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return problems;
}

test("Try it: authorize with client credentials, execute a GET through the gateway, no CSP violation", async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await watchCsp(page);
  const user = await signUpUser("tryit");
  const api = await apiAs(user);
  const created = await api<{ app: { id: string }; credential: { clientId: string; clientSecret: string } }>("POST", "/apps", { name: "Try-it app", products: ["echo"] });
  expect(created.status).toBe(201);
  const { clientId, clientSecret } = created.body.credential;
  const appId = created.body.app.id;

  await signInInBrowser(page, user, "/catalog/echo");
  const tryIt = page.getByTestId("try-it");
  await expect(tryIt.getByTestId(`try-it-app-${appId}`)).toContainText(clientId);
  const reference = page.getByTestId("openapi-reference");
  await expect(reference.getByText("Echo a GET")).toBeVisible({ timeout: 20_000 });

  // Authorize: the client-credentials flow of the injected OAuth scheme, client_id prefilled.
  await reference.getByRole("button", { name: "Authorize" }).first().click();
  await expect(page.locator("#client_id_clientCredentials")).toHaveValue(clientId);
  await page.locator("#client_secret_clientCredentials").fill(clientSecret);
  await page.getByRole("button", { name: "Apply given OAuth2 credentials" }).first().click(); // the clientCredentials flow comes first
  await expect(page.getByRole("button", { name: "Remove authorization" }).first()).toBeVisible();
  await expect(page.locator("#client_id_clientCredentials")).toHaveCount(0);
  await page.getByRole("button", { name: "Close" }).first().click();

  // Try it out → Execute: the request goes to this gateway, and the echo backend answers.
  const operation = reference.locator(".opblock-get").filter({ hasText: "Echo a GET" });
  await operation.locator(".opblock-summary-control").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.locator('input[placeholder="anything"]').fill("hello");
  await operation.getByRole("button", { name: "Execute" }).click();
  await expect(operation.locator(".request-url")).toContainText(`${gatehouseUrl()}/gateway/echo/v1/hello`);
  const live = operation.locator(".live-responses-table");
  await expect(live.locator("td.response-col_status:not(.col_header)").first()).toContainText("200", { timeout: 15_000 });
  await expect(live).toContainText(appId); // x-gatehouse-app-id, as the backend saw it

  // Register the redirect URI for the authorization code flow (a server action form post).
  await tryIt.getByRole("button", { name: "Add the Try-it redirect URI to Try-it app" }).click();
  await expect(page.getByTestId("try-it").getByRole("status")).toContainText("registered");
  await expect(page.getByTestId(`try-it-app-${appId}`)).toContainText("Try-it redirect URI registered");
  const app = await api<{ redirectUris: string[] }>("GET", `/apps/${appId}`);
  expect(app.body.redirectUris).toEqual([`${gatehouseUrl()}/docs/oauth2-redirect`]);

  // The redirect page's script runs under the CSP (opened directly, it says it has no opener).
  await page.goto(`${gatehouseUrl()}/docs/oauth2-redirect?code=x&state=y`);
  await expect(page.locator("#note")).toContainText("not opened by the API reference");

  expect(problems).toEqual([]);
});
