// With no Okta org configured, the run command starts okta-dev in-process and points
// Gatehouse at it; the real Okta client library signs the seeded users in against it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import OktaAuth from "@okta/okta-auth-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";

describe("embedded okta-dev", () => {
  let gatehouse: RunningGatehouse;
  let oktaUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    oktaUrl = `http://127.0.0.1:${port}`;
    gatehouse = await startGatehouse({ OKTA_DEV_PORT: String(port), OKTA_DEV_PUBLIC_URL: oktaUrl });
  });
  afterAll(() => gatehouse?.stop());

  it("serves Okta's discovery document at the expected issuer, with the seed in DATA_DIR", async () => {
    const res = await fetch(`${oktaUrl}/oauth2/default/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ issuer: `${oktaUrl}/oauth2/default` });
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    expect(seed.clients.portal.redirectUris).toContain(`${gatehouse.url}/api/auth/callback/okta`);
    expect(seed.clients.delegation.redirectUris).toContain(`${gatehouse.url}/oauth/callback`);
  });

  it("signs the seeded developer in through @okta/okta-auth-js", async () => {
    const seed = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "seed.json"), "utf8"));
    const auth = new OktaAuth({ issuer: `${oktaUrl}/oauth2/default`, clientId: seed.clients.portal.clientId, redirectUri: seed.clients.portal.redirectUris[0] });
    const tx = await auth.signInWithCredentials({ username: seed.users.developer.login, password: seed.users.developer.password });
    expect(tx.status).toBe("SUCCESS");
    expect(tx.sessionToken).toBeTruthy();
  });
});

describe("with a real Okta org configured", () => {
  it("does not start okta-dev", async () => {
    const gatehouse = await startGatehouse({
      OKTA_ISSUER: "https://acme.okta.example/oauth2/default",
      OKTA_CLIENT_ID: "0oa-test",
      OKTA_CLIENT_SECRET: "secret",
    });
    try {
      expect((await fetch(`${gatehouse.url}/readyz`)).status).toBe(200);
      expect(gatehouse.output()).not.toContain("okta-dev (local Okta-compatible identity provider) started");
    } finally {
      expect(await gatehouse.stop()).toBe(0);
    }
  });
});
