// A developer registers a client certificate for mutual TLS on the app's page: a wrong paste is
// refused with the reason, a PEM certificate is shown as its x5t#S256 thumbprint, and removing
// it brings the form back.
import { X509Certificate, randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { certificateThumbprint } from "../../lib/http/tls.ts";
import { createTestCa } from "../harness/certificates.ts";
import { apiAs, seededUsers, signInInBrowser } from "../harness/portal.ts";

test("register, show and remove an app's client certificate", async ({ page }) => {
  const users = seededUsers();
  const developer = await apiAs(users.developer);
  const created = await developer<{ app: { id: string } }>("POST", "/apps", { name: `mTLS ${randomBytes(4).toString("hex")}`, products: ["echo"] });
  expect(created.status).toBe(201);
  const appId = created.body.app.id;
  const { cert } = await (await createTestCa()).client("browser-app");
  await signInInBrowser(page, users.developer, `/apps/${appId}`);

  const field = page.getByLabel("PEM certificate or its thumbprint");
  await field.fill("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
  await page.getByRole("button", { name: "Register certificate" }).click();
  await expect(page.getByTestId("form-error")).toContainText("not a valid X.509 certificate");

  await field.fill(cert);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const thumbprint = certificateThumbprint(new X509Certificate(cert).raw);
  await expect(page.getByTestId("client-certificate-thumbprint")).toHaveText(thumbprint);
  expect((await developer<{ clientCertificate: unknown }>("GET", `/apps/${appId}`)).body.clientCertificate).toEqual({ thumbprint });

  await page.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("client-certificate-thumbprint")).toHaveCount(0);
  await expect(field).toBeVisible();
  expect((await developer<{ clientCertificate: unknown }>("GET", `/apps/${appId}`)).body.clientCertificate).toBeNull();
});
