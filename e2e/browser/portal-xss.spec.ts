// XSS: an app named like markup and a javascript: redirect URI stay inert
// on the portal and admin pages — no script dialog fires, the name shows as text.
import { expect, test, type Page } from "@playwright/test";
import { apiAs, gatehouseUrl, seededUsers, signInInBrowser } from "../harness/portal.ts";

const NAME = "<img src=x onerror=alert(1)>";

function dialogs(page: Page) {
  const fired: string[] = [];
  page.on("dialog", (d) => {
    fired.push(d.message());
    void d.dismiss();
  });
  return fired;
}

test("a markup app name and a javascript: redirect URI are inert for the developer and the admin", async ({ browser }) => {
  test.setTimeout(120_000);
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ app: { id: string } }>("POST", "/apps", {
    name: NAME,
    description: "</script><script>alert(2)</script>",
    redirectUris: ["https://xss.example.com/cb"],
    products: ["echo"],
  });
  expect(created.status).toBe(201);
  const appId = created.body.app.id;

  const devContext = await browser.newContext();
  const dev = await devContext.newPage();
  const devDialogs = dialogs(dev);
  await signInInBrowser(dev, users.developer, "/apps");
  await expect(dev.getByRole("link", { name: NAME })).toBeVisible();
  await dev.goto(`${gatehouseUrl()}/apps/${appId}`);
  await expect(dev.getByTestId("app-name")).toHaveText(NAME);
  await expect(dev.getByText("</script><script>alert(2)</script>")).toBeVisible();
  expect(await dev.locator('img[src="x"]').count()).toBe(0);

  // The javascript: redirect URI is refused on the form, with the reason under the field.
  await dev.getByRole("link", { name: "Edit" }).click();
  await dev.getByLabel("Redirect URIs (one per line)").fill("javascript:alert(1)");
  await dev.getByRole("button", { name: "Save changes" }).click();
  await expect(dev.getByTestId("form-error")).toContainText("javascript:");
  const stored = await developer<{ redirectUris: string[] }>("GET", `/apps/${appId}`);
  expect(stored.body.redirectUris).toEqual(["https://xss.example.com/cb"]);
  // And on a new app.
  await dev.goto(`${gatehouseUrl()}/apps/new`);
  await dev.getByLabel("Name").fill("js redirect");
  await dev.getByLabel("Redirect URIs (one per line)").fill("javascript:alert(1)");
  await dev.getByRole("button", { name: "Create app" }).click();
  await expect(dev.getByTestId("form-error")).toContainText("javascript:");
  expect(new URL(dev.url()).pathname).toBe("/apps/new");

  const admContext = await browser.newContext();
  const adm = await admContext.newPage();
  const admDialogs = dialogs(adm);
  await signInInBrowser(adm, users.admin, "/admin/apps");
  await expect(adm.getByRole("link", { name: NAME }).first()).toBeVisible();
  await adm.goto(`${gatehouseUrl()}/admin/apps/${appId}`);
  await expect(adm.getByTestId("app-name")).toHaveText(NAME);
  await adm.goto(`${gatehouseUrl()}/admin/audit`);
  await expect(adm.getByRole("table")).toBeVisible();
  expect(await adm.locator('img[src="x"]').count()).toBe(0);

  expect(devDialogs).toEqual([]);
  expect(admDialogs).toEqual([]);
  await devContext.close();
  await admContext.close();
});
