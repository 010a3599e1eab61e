// The first five minutes without a mouse: sign up, sign in (okta-dev's login page), create an app
// and read its credentials with Tab, Enter, Space and typing only. Every element that takes focus
// on the way must show it (the global :focus-visible outline).
import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { gatehouseUrl } from "../harness/portal.ts";

interface Focused {
  name: string;
  tag: string;
  outline: string;
}

/** What has focus: its accessible-ish name (label, aria-label or text), tag and outline. */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: "", tag: "", outline: "" };
    const labels = (el as HTMLInputElement).labels;
    const name = (labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "").replace(/\s+/g, " ").trim();
    const style = getComputedStyle(el);
    return { name, tag: el.tagName.toLowerCase(), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });

const unfocusedOutlines: string[] = [];

/** Presses Tab until the focused element's name matches; checks the focus is visible there. */
async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now.tag && (now.outline.startsWith("none") || now.outline.endsWith(" 0px"))) unfocusedOutlines.push(`${now.tag} "${now.name}"`);
    if (name.test(now.name)) return;
  }
  throw new Error(`no focusable element named ${name} within ${limit} presses of Tab on ${page.url()}`);
}

test("sign up, sign in, create an app and see its credentials with the keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `keys-${randomBytes(4).toString("hex")}@example.com`;
  const password = `Tide-${randomBytes(5).toString("hex")}-Q7v`;

  // The skip link comes first and lands in the main content.
  await page.goto(gatehouseUrl());
  await page.keyboard.press("Tab");
  expect((await focused(page)).name).toBe("Skip to content");
  await page.keyboard.press("Enter");
  expect(new URL(page.url()).hash).toBe("#main");

  await tabTo(page, /^Sign up$/);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/signup");
  await expect(page.getByRole("button", { name: "Create account" })).toBeEnabled();
  for (const [label, value] of [
    [/^First name/, "Kay"],
    [/^Last name/, "Board"],
    [/^Email/, email],
    [/^Password/, password],
  ] as const) {
    await tabTo(page, label);
    await page.keyboard.type(value);
  }
  await tabTo(page, /accept the terms/i);
  await page.keyboard.press("Space");
  await tabTo(page, /^Create account$/);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("can now sign in");

  await tabTo(page, /^Sign in$/);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/signin");
  await expect(page.getByRole("button", { name: "Sign in with Okta" })).toBeEnabled();
  await tabTo(page, /^Sign in with Okta$/);
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Username")).toBeVisible(); // okta-dev's login page
  if ((await focused(page)).name !== "Username") await tabTo(page, /^Username$/);
  await page.keyboard.type(email);
  await tabTo(page, /^Password$/);
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.href.startsWith(gatehouseUrl()) && !u.pathname.startsWith("/api/auth"));
  await expect(page.getByTestId("signed-in-as")).toBeVisible();

  await tabTo(page, /^My apps$/);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/apps");
  await tabTo(page, /^New app$/);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/apps/new");
  await expect(page.getByRole("checkbox", { name: /Echo API/ })).toBeVisible();
  await tabTo(page, /^Name/);
  await page.keyboard.type("Keyboard app");
  await tabTo(page, /^Echo API/);
  await page.keyboard.press("Space");
  await expect(page.getByRole("checkbox", { name: /Echo API/ })).toBeChecked();
  await tabTo(page, /^Create app$/);
  await page.keyboard.press("Enter");

  await page.waitForURL((u) => /^\/apps\/[^/]+$/.test(u.pathname) && u.pathname !== "/apps/new");
  await expect(page.getByTestId("secret-panel")).toBeVisible();
  await expect(page.getByTestId("client-secret")).not.toBeEmpty();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Keyboard app");
  expect(unfocusedOutlines).toEqual([]);
});
