// @okta/jwt-verifier 4 verifies what okta-dev issues for every grant: access tokens (aud and
// cid asserted) and id tokens (nonce checked).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OktaJwtVerifier from "@okta/jwt-verifier";
import { decodeJwtPart, sessionTokenFor, startTestOrg, tokenRequest, type TestOrg } from "./test-support.ts";

let org: TestOrg;
let portal: TestOrg["seed"]["clients"]["portal"];
let service: { client_id: string; client_secret: string };

/** For id tokens: aud is the client id there, and there is no cid. */
function idVerifier() {
  return new OktaJwtVerifier({ issuer: org.issuer, testing: { disableHttpsCheck: true } });
}

function verifierFor(clientId: string) {
  return new OktaJwtVerifier({
    issuer: org.issuer,
    clientId,
    assertClaims: { aud: "api://default", cid: clientId },
    testing: { disableHttpsCheck: true },
  });
}

beforeAll(async () => {
  org = await startTestOrg();
  portal = org.seed.clients.portal;
  const res = await fetch(`${org.url}/oauth2/v1/clients`, {
    method: "POST",
    headers: { authorization: `SSWS ${org.seed.apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ client_name: "service", grant_types: ["client_credentials"], response_types: [], redirect_uris: [], scope: "orders:read" }),
  });
  expect(res.status).toBe(201);
  service = (await res.json()) as typeof service;
});
afterAll(() => org.destroy());

describe("@okta/jwt-verifier", () => {
  it("verifies a client_credentials access token (sub = client id, no uid)", async () => {
    const { status, body } = await tokenRequest(org, service.client_id, service.client_secret, { grant_type: "client_credentials", scope: "orders:read" });
    expect(status).toBe(200);
    const jwt = await verifierFor(service.client_id).verifyAccessToken(body.access_token, "api://default");
    expect(jwt.claims).toMatchObject({ cid: service.client_id, sub: service.client_id, scp: ["orders:read"], ver: 1 });
    expect(jwt.claims.uid).toBeUndefined();
    expect(decodeJwtPart(body.access_token, 0).typ).toBeUndefined();
  });

  it("verifies access and id tokens from the password grant", async () => {
    const { admin } = org.seed.users;
    const { status, body } = await tokenRequest(org, portal.clientId, portal.clientSecret, {
      grant_type: "password",
      username: admin.login,
      password: admin.password,
      scope: "openid profile email",
      nonce: "pw-nonce",
    });
    expect(status).toBe(200);
    const access = await verifierFor(portal.clientId).verifyAccessToken(body.access_token, "api://default");
    expect(access.claims).toMatchObject({ uid: admin.id, sub: admin.login, scp: ["openid", "profile", "email"], groups: expect.arrayContaining([org.seed.adminGroup]) });
    expect(String(access.claims.jti)).toMatch(/^AT\./);
    const id = await idVerifier().verifyIdToken(body.id_token, portal.clientId, "pw-nonce");
    expect(id.claims).toMatchObject({ sub: admin.id, email: admin.login, amr: ["pwd"] });
  });

  it("verifies tokens from the authorization code grant and from refresh_token", async () => {
    const { developer } = org.seed.users;
    const sessionToken = await sessionTokenFor(org, developer.login, developer.password);
    const authorize = new URL(`${org.issuer}/v1/authorize`);
    authorize.search = new URLSearchParams({
      client_id: portal.clientId,
      response_type: "code",
      scope: "openid profile email offline_access",
      redirect_uri: portal.redirectUris[0],
      state: "st-1",
      nonce: "code-nonce",
      sessionToken,
    }).toString();
    const redirect = await fetch(authorize, { redirect: "manual" });
    const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
    const first = await tokenRequest(org, portal.clientId, portal.clientSecret, { grant_type: "authorization_code", code, redirect_uri: portal.redirectUris[0] });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    const verifier = verifierFor(portal.clientId);
    await expect(verifier.verifyAccessToken(first.body.access_token, "api://default")).resolves.toBeTruthy();
    const id = await idVerifier().verifyIdToken(first.body.id_token, portal.clientId, "code-nonce");
    expect(id.claims).toMatchObject({ sub: developer.id, amr: ["pwd"], idp: org.seed.orgId });
    await expect(idVerifier().verifyIdToken(first.body.id_token, portal.clientId, "other-nonce")).rejects.toThrow();

    const refreshed = await tokenRequest(org, portal.clientId, portal.clientSecret, { grant_type: "refresh_token", refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const access = await verifier.verifyAccessToken(refreshed.body.access_token, "api://default");
    expect(access.claims).toMatchObject({ uid: developer.id, cid: portal.clientId });
    await expect(idVerifier().verifyIdToken(refreshed.body.id_token, portal.clientId, "code-nonce")).resolves.toBeTruthy();
  });

  it("does not hand out refresh tokens without offline_access", async () => {
    const { admin } = org.seed.users;
    const { body } = await tokenRequest(org, portal.clientId, portal.clientSecret, { grant_type: "password", username: admin.login, password: admin.password, scope: "openid" });
    expect(body.refresh_token).toBeUndefined();
  });
});
