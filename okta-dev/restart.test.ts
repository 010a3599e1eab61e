// Data and keys survive a restart on the same data dir: same kid, same users and clients, and a
// token issued before the restart still verifies; revocations persist too.
import { afterAll, describe, expect, it } from "vitest";
import OktaJwtVerifier from "@okta/jwt-verifier";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSeed } from "./index.ts";
import { basicAuth, decodeJwtPart, startTestOrg, tokenRequest, type TestOrg } from "./test-support.ts";

let org: TestOrg | undefined;
afterAll(() => org?.destroy());

describe("restart on the same data dir", () => {
  it("keeps kid, users, clients; old tokens verify; revocations persist", async () => {
    const first = await startTestOrg();
    const { portal } = first.seed.clients;
    const { admin } = first.seed.users;
    const issued = await tokenRequest(first, portal.clientId, portal.clientSecret, { grant_type: "password", username: admin.login, password: admin.password, scope: "openid" });
    const revoked = await tokenRequest(first, portal.clientId, portal.clientSecret, { grant_type: "password", username: admin.login, password: admin.password, scope: "openid" });
    await fetch(`${first.issuer}/v1/revoke`, {
      method: "POST",
      headers: { authorization: basicAuth(portal.clientId, portal.clientSecret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: revoked.body.access_token }),
    });
    const created = await fetch(`${first.url}/api/v1/users?activate=true`, {
      method: "POST",
      headers: { authorization: `SSWS ${first.seed.apiToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        profile: { firstName: "Kept", lastName: "User", email: "kept@example.com", login: "kept@example.com" },
        credentials: { password: { value: "Stays-Pass-123" } },
      }),
    });
    expect(created.status).toBe(200);
    const kidBefore = decodeJwtPart(issued.body.access_token, 0).kid;
    const port = Number(new URL(first.url).port);
    await first.stop();

    // Passwords are stored hashed, never as given.
    expect(readFileSync(join(first.dataDir, "users.json"), "utf8")).not.toContain("Stays-Pass-123");

    org = await startTestOrg({ dataDir: first.dataDir, port });
    expect(org.seed).toEqual(readSeed(first.dataDir));
    expect(org.seed.clients.portal.clientId).toBe(portal.clientId);
    const keys = (await (await fetch(`${org.issuer}/v1/keys`)).json()) as { keys: { kid: string; use: string; kty: string }[] };
    expect(keys.keys).toEqual([expect.objectContaining({ kid: kidBefore, use: "sig", kty: "RSA" })]);

    const verifier = new OktaJwtVerifier({ issuer: org.issuer, assertClaims: { cid: portal.clientId }, testing: { disableHttpsCheck: true } });
    await expect(verifier.verifyAccessToken(issued.body.access_token, "api://default")).resolves.toBeTruthy();

    const introspect = (token: string) =>
      fetch(`${org!.issuer}/v1/introspect`, {
        method: "POST",
        headers: { authorization: basicAuth(portal.clientId, portal.clientSecret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token }),
      }).then((r) => r.json() as Promise<{ active: boolean }>);
    expect((await introspect(issued.body.access_token)).active).toBe(true);
    expect((await introspect(revoked.body.access_token)).active).toBe(false);

    const again = await tokenRequest(org, portal.clientId, portal.clientSecret, {
      grant_type: "password",
      username: "kept@example.com",
      password: "Stays-Pass-123",
      scope: "openid",
    });
    expect(again.status).toBe(200);
  });

  it("points the seeded clients at the current Gatehouse URL on every start", async () => {
    const first = await startTestOrg({ gatehouseUrl: "http://localhost:4000" });
    await first.stop();
    const second = await startTestOrg({ dataDir: first.dataDir, gatehouseUrl: "http://localhost:5000" });
    try {
      expect(second.seed.clients.portal.redirectUris).toEqual(["http://localhost:5000/api/auth/callback/okta"]);
      const clients = JSON.parse(readFileSync(join(first.dataDir, "clients.json"), "utf8")) as { client_id: string; redirect_uris: string[] }[];
      expect(clients.find((c) => c.client_id === second.seed.clients.delegation.clientId)?.redirect_uris).toEqual(["http://localhost:5000/oauth/callback"]);
    } finally {
      await second.destroy();
    }
  });
});
