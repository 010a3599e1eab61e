// okta-dev's own login page in Chromium: openid-client (as Gatehouse's Okta delegation uses it)
// starts a code flow (PKCE + state + nonce), the browser signs in on the page (with a TOTP code
// for the MFA user), and the code it brings back is exchanged for tokens. The relying party's
// callback is intercepted, so no app is needed.
import { expect, test, type Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oidc from "openid-client";
import { readSeed, startOktaDev, type OktaDev } from "../../okta-dev/index.ts";
import { currentTotp } from "../../okta-dev/totp.ts";

const GATEHOUSE = "http://gatehouse.test:3000";
let okta: OktaDev;
let dataDir: string;
let config: oidc.Configuration;
let redirectUri: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "okta-dev-browser-"));
  okta = await startOktaDev({ port: 0, dataDir, gatehouseUrl: GATEHOUSE, log: () => {} });
  const { portal } = okta.seed.clients;
  redirectUri = portal.redirectUris[0];
  config = await oidc.discovery(new URL(okta.issuer), portal.clientId, undefined, oidc.ClientSecretBasic(portal.clientSecret), { execute: [oidc.allowInsecureRequests] });
});

test.afterAll(async () => {
  await okta.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startFlow(page: Page) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  // Stand in for Gatehouse's callback route: answer it so the browser can land there.
  await page.route(`${GATEHOUSE}/**`, (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback reached" }));
  const response = await page.goto(
    oidc.buildAuthorizationUrl(config, { scope: "openid profile email", redirect_uri: redirectUri, state, nonce, code_challenge: challenge, code_challenge_method: "S256" }).href,
  );
  return { verifier, state, nonce, response };
}

async function finishFlow(page: Page, flow: { verifier: string; state: string; nonce: string }) {
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  return tokens.claims();
}

test("signs the developer in through the login page", async ({ page }) => {
  const flow = await startFlow(page);
  await expect(page.getByTestId("okta-dev-badge")).toHaveText(/local development identity provider \(okta-dev\)/);
  const headers = flow.response!.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");

  const { developer } = readSeed(dataDir).users;
  await page.getByLabel("Username").fill(developer.login);
  await page.getByLabel("Password").fill("Wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("error")).toBeVisible();

  await page.getByLabel("Password").fill(developer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const claims = await finishFlow(page, flow);
  expect(claims).toMatchObject({ sub: developer.id, nonce: flow.nonce, amr: ["pwd"] });
});

test("asks the MFA user for a TOTP code and only then signs in", async ({ page }) => {
  const flow = await startFlow(page);
  const { mfa } = readSeed(dataDir).users;
  await page.getByLabel("Username").fill(mfa.login);
  await page.getByLabel("Password").fill(mfa.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  const code = currentTotp(mfa.totpSecret);
  await page.getByLabel("Verification code").fill(code === "123456" ? "654321" : "123456");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("error")).toBeVisible();
  expect(page.url().startsWith(redirectUri)).toBe(false);

  await page.getByLabel("Verification code").fill(currentTotp(mfa.totpSecret));
  await page.getByRole("button", { name: "Verify" }).click();
  const claims = await finishFlow(page, flow);
  expect(claims).toMatchObject({ sub: mfa.id, amr: ["pwd", "mfa", "otp"] });
});
