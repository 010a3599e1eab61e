// openid-client (v6, on oauth4webapi: the strict client Gatehouse's own Okta delegation uses)
// runs the code flow with PKCE + state + nonce through an Okta sessionToken, without a page;
// plus the negative cases a relying party depends on. next-auth's own copy (v5) runs against
// okta-dev in every portal sign-in of the integration tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oidc from "openid-client";
import { basicAuth, sessionTokenFor, startTestOrg, tokenRequest, type TestOrg } from "./test-support.ts";

let org: TestOrg;
let config: oidc.Configuration;
let redirectUri: string;

beforeAll(async () => {
  org = await startTestOrg();
  const { portal } = org.seed.clients;
  redirectUri = portal.redirectUris[0];
  config = await oidc.discovery(new URL(org.issuer), portal.clientId, undefined, oidc.ClientSecretBasic(portal.clientSecret), { execute: [oidc.allowInsecureRequests] });
});
afterAll(() => org.destroy());

const authorizationUrl = (params: Record<string, string>) => oidc.buildAuthorizationUrl(config, params);

/** authn → sessionToken → /v1/authorize?sessionToken=… → the redirect carrying the code. */
async function authorizeWithSessionToken(extra: Record<string, string> = {}) {
  const { developer } = org.seed.users;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = authorizationUrl({
    scope: "openid profile email offline_access",
    redirect_uri: redirectUri,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    sessionToken: await sessionTokenFor(org, developer.login, developer.password),
    ...extra,
  });
  const res = await fetch(url, { redirect: "manual" });
  return { res, verifier, state, nonce };
}

describe("openid-client code flow", () => {
  it("discovers both well-known documents under the issuer", async () => {
    for (const doc of ["openid-configuration", "oauth-authorization-server"]) {
      const res = await fetch(`${org.issuer}/.well-known/${doc}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ issuer: org.issuer, jwks_uri: `${org.issuer}/v1/keys`, token_endpoint: `${org.issuer}/v1/token` });
    }
  });

  it("completes PKCE + state + nonce through a sessionToken, without a page", async () => {
    const { res, verifier, state, nonce } = await authorizeWithSessionToken();
    expect(res.status).toBeGreaterThanOrEqual(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith(redirectUri)).toBe(true);
    const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce };
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), checks);
    const claims = tokens.claims();
    expect(claims).toMatchObject({ sub: org.seed.users.developer.id, nonce, email: org.seed.users.developer.login, amr: ["pwd"] });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const info = await oidc.fetchUserInfo(config, tokens.access_token, org.seed.users.developer.id);
    expect(info.sub).toBe(org.seed.users.developer.id);

    // The same code a second time is refused.
    await expect(oidc.authorizationCodeGrant(config, new URL(location), checks)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a wrong PKCE verifier with invalid_grant", async () => {
    const first = await authorizeWithSessionToken();
    const location = new URL(first.res.headers.get("location")!);
    const checks = { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: first.state, expectedNonce: first.nonce };
    await expect(oidc.authorizationCodeGrant(config, location, checks)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses an expired code with invalid_grant", async () => {
    // A second org whose codes live 1 s, so the main one isn't racing its own code lifetime.
    const shortLived = await startTestOrg({ authorizationCodeTtl: 1 });
    try {
      const { portal } = shortLived.seed.clients;
      const { developer } = shortLived.seed.users;
      const url = new URL(`${shortLived.issuer}/v1/authorize`);
      url.search = new URLSearchParams({
        client_id: portal.clientId,
        response_type: "code",
        scope: "openid",
        redirect_uri: redirectUri,
        state: "s",
        sessionToken: await sessionTokenFor(shortLived, developer.login, developer.password),
      }).toString();
      const code = new URL((await fetch(url, { redirect: "manual" })).headers.get("location")!).searchParams.get("code")!;
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const { status, body } = await tokenRequest(shortLived, portal.clientId, portal.clientSecret, { grant_type: "authorization_code", code, redirect_uri: redirectUri });
      expect(status).toBe(400);
      expect(body.error).toBe("invalid_grant");
    } finally {
      await shortLived.destroy();
    }
  });

  it("uses a sessionToken only once", async () => {
    const { developer } = org.seed.users;
    const sessionToken = await sessionTokenFor(org, developer.login, developer.password);
    const ask = () => fetch(authorizationUrl({ scope: "openid", redirect_uri: redirectUri, state: "s", nonce: "n", sessionToken, prompt: "none" }), { redirect: "manual" });
    expect(new URL((await ask()).headers.get("location")!).searchParams.get("code")).toEqual(expect.any(String));
    expect(new URL((await ask()).headers.get("location")!).searchParams.get("error")).toBe("login_required");
  });
});

describe("negative cases", () => {
  it("answers a wrong client secret with 401 invalid_client", async () => {
    const { portal } = org.seed.clients;
    const { status, body } = await tokenRequest(org, portal.clientId, "not-the-secret", { grant_type: "client_credentials" });
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });

  it("shows an error page, not a redirect, for an unregistered redirect_uri", async () => {
    const url = authorizationUrl({ scope: "openid", redirect_uri: "https://evil.example/cb", state: "s", nonce: "n" });
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("redirect_uri");
    expect(html).not.toMatch(/fonts\.googleapis|<script/);
  });

  it("answers prompt=none without a session with error=login_required", async () => {
    const res = await fetch(authorizationUrl({ scope: "openid", redirect_uri: redirectUri, state: "s1", nonce: "n", prompt: "none" }), { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("error")).toBe("login_required");
    expect(location.searchParams.get("state")).toBe("s1");
  });

  it("reports a revoked access token as inactive, and rejects it at userinfo", async () => {
    const { portal } = org.seed.clients;
    const { admin } = org.seed.users;
    const { body } = await tokenRequest(org, portal.clientId, portal.clientSecret, {
      grant_type: "password",
      username: admin.login,
      password: admin.password,
      scope: "openid profile",
    });
    const introspect = async () => ({ ...(await oidc.tokenIntrospection(config, body.access_token)) });
    expect(await introspect()).toMatchObject({ active: true, uid: admin.id, scope: "openid profile" });
    const revoke = await fetch(`${org.issuer}/v1/revoke`, {
      method: "POST",
      headers: { authorization: basicAuth(portal.clientId, portal.clientSecret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: body.access_token, token_type_hint: "access_token" }),
    });
    expect(revoke.status).toBe(200);
    expect(await introspect()).toEqual({ active: false });
    const info = await fetch(`${org.issuer}/v1/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(info.status).toBe(401);
    expect(info.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("refuses the password grant for users whose sign-on policy needs a second factor", async () => {
    const { delegation } = org.seed.clients;
    const { mfa, developer } = org.seed.users;
    const refused = await tokenRequest(org, delegation.clientId, delegation.clientSecret, { grant_type: "password", username: mfa.login, password: mfa.password, scope: "openid" });
    expect(refused.body.error).toBe("access_denied");
    const allowed = await tokenRequest(org, delegation.clientId, delegation.clientSecret, {
      grant_type: "password",
      username: developer.login,
      password: developer.password,
      scope: "openid",
    });
    expect(allowed.body.id_token).toEqual(expect.any(String));
  });

  it("logs out with a 302 to the registered post-logout URI, carrying state", async () => {
    const { portal } = org.seed.clients;
    const { admin } = org.seed.users;
    const { body } = await tokenRequest(org, portal.clientId, portal.clientSecret, { grant_type: "password", username: admin.login, password: admin.password, scope: "openid" });
    const ok = await fetch(oidc.buildEndSessionUrl(config, { id_token_hint: body.id_token, post_logout_redirect_uri: portal.postLogoutRedirectUris[0], state: "bye" }), {
      redirect: "manual",
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`${portal.postLogoutRedirectUris[0]}?state=bye`);
    const bad = await fetch(oidc.buildEndSessionUrl(config, { id_token_hint: body.id_token, post_logout_redirect_uri: "https://evil.example/", state: "bye" }), {
      redirect: "manual",
    });
    expect(bad.status).toBe(400);
  });
});
