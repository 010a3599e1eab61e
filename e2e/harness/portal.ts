// Helpers for browser tests of the portal: the seeded okta-dev users, signing in through the
// real pages (okta-dev's login form, TOTP for the MFA user), and admin calls to the management
// API with a session cookie (as a same-origin browser would send them).
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import { readSeed, type Seed } from "../../okta-dev/index.ts";
import { currentTotp } from "../../okta-dev/totp.ts";
import { signIn as cookieSignIn } from "./sign-in.ts";

export const gatehouseUrl = () => process.env.GATEHOUSE_URL!;

export function seededUsers(): Seed["users"] {
  const dataDir = process.env.GATEHOUSE_DATA_DIR;
  if (!dataDir) throw new Error("GATEHOUSE_DATA_DIR is not set (see e2e/harness/global-setup.ts)");
  return readSeed(join(dataDir, "okta-dev")).users;
}

/** Signs in through /signin → okta-dev's login page (→ TOTP when a secret is given) → back. */
export async function signInInBrowser(page: Page, user: { login: string; password: string; totpSecret?: string }, callbackPath = "/apps") {
  await page.goto(`${gatehouseUrl()}/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByRole("button", { name: "Sign in with Okta" }).click();
  await page.getByLabel("Username").fill(user.login);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (user.totpSecret) {
    await page.getByLabel("Verification code").fill(currentTotp(user.totpSecret));
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await page.waitForURL((url) => url.href.startsWith(`${gatehouseUrl()}${callbackPath}`));
  await expect(page.getByTestId("signed-in-as")).toBeAttached(); // hidden in the folded menu below 768 px
}

/** On okta-dev's login page (an authorization Gatehouse delegated, or an app's own at Okta): signs `user` in. */
export async function signInAtOkta(page: Page, user: { login: string; password: string }) {
  await expect(page.getByTestId("okta-dev-badge")).toBeVisible();
  await page.getByLabel("Username").fill(user.login);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOutInBrowser(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** A management API client acting as a seeded user, with the session cookie and Origin a browser sends. */
export async function apiAs(user: { login: string; password: string }) {
  const { cookie, oktaUrl } = await cookieSignIn(gatehouseUrl(), user.login, user.password);
  const call = async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${gatehouseUrl()}/api/v1${path}`, {
      method,
      headers: { cookie, origin: gatehouseUrl(), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return Object.assign(call, { oktaUrl });
}

/** The test server's own SQLite database (the browser tests run on the embedded defaults). */
export function gatehouseDatabaseFile(): string {
  return join(process.env.GATEHOUSE_DATA_DIR!, "gatehouse.db");
}

/** A new Okta user through the sign-up API (as the same-origin sign-up page sends it). */
export async function signUpUser(tag: string): Promise<{ login: string; password: string }> {
  const login = `${tag}-${randomBytes(4).toString("hex")}@example.com`;
  const password = `Reef-${randomBytes(5).toString("hex")}-K8m`; // no part of the username (Okta policy)
  const res = await fetch(`${gatehouseUrl()}/api/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: gatehouseUrl() },
    body: JSON.stringify({ firstName: "Test", lastName: "User", email: login, password, acceptTerms: true }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  return { login, password };
}
