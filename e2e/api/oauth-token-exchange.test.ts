// Token exchange (RFC 8693) against the real server and its okta-dev: an app holding an Okta
// token that Okta issued to it (Scenario 2) gets a Gatehouse access token for the same user,
// which works at the gateway (the backend sees the user), introspects (with act when an actor
// was given) and is revoked like any other. Refusals: the app not allowed (unauthorized_client),
// another issuer allowed, a forged, expired or another app's Okta token (invalid_grant), an
// unsupported token type (invalid_request), an actor that may_act does not name. One exchange
// goes through oauth4webapi as the independent client.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import { decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { configuredBackends } from "../harness/backends.ts";
import type { RunningGatehouse } from "../harness/gatehouse.ts";
import { startSystem } from "../harness/system.ts";
import { readOktaSeed, type apiCaller, type Caller } from "../harness/portal-setup.ts";
import { signIn } from "../harness/sign-in.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

interface PortalApp {
  id: string;
  clientId: string;
  secret: string;
}
interface OktaClient {
  client_id: string;
  client_secret: string;
}

describe.each(configuredBackends())("token exchange on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let stop: () => Promise<void>;
  let db: Database;
  let upstreams: TestBackends;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;
  let seed: { apiToken: string; users: { developer: { id: string; login: string; password: string }; admin: { id: string; login: string; password: string } } };
  let oktaIssuer: string;
  let appA: PortalApp, appB: PortalApp;
  let oktaA: OktaClient, oktaB: OktaClient;
  /** okta-dev's own signing key (its data dir): tokens Okta "signed" with claims okta-dev would not give. */
  let oktaSign: (claims: Record<string, unknown>) => Promise<string>;

  const token = (params: Record<string, string>, app: PortalApp) =>
    fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: GRANT, ...params }),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

  const introspect = (value: string, app: PortalApp) =>
    fetch(`${gatehouse.url}/oauth/introspect`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}` },
      body: new URLSearchParams({ token: value }),
    }).then(async (r) => (await r.json()) as Record<string, unknown>);

  const callGateway = (accessToken: string) => fetch(`${gatehouse.url}/gateway/xchg/v1/orders`, { headers: { authorization: `Bearer ${accessToken}` } });

  async function newApp(name: string, products: string[], extra: Record<string, unknown> = {}): Promise<PortalApp> {
    const created = await api(developer, "POST", "/apps", { name, products, redirectUris: ["https://client.example/cb"], ...extra });
    expect(created.status, created.text).toBe(201);
    return { id: created.json.app.id, clientId: created.json.credential.clientId, secret: created.json.credential.clientSecret };
  }

  /** The app's client in Okta (Scenario 2: the portal's app and its matching Okta client). */
  async function registerOktaClient(): Promise<OktaClient> {
    const oktaUrl = new URL(oktaIssuer).origin;
    const res = await fetch(`${oktaUrl}/oauth2/v1/clients`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `SSWS ${seed.apiToken}` },
      body: JSON.stringify({
        client_name: "Scenario 2 app",
        grant_types: ["password", "client_credentials"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "client_secret_post",
        scope: "openid xchg:read",
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as OktaClient;
  }

  /** The developer signs in at Okta through the app's Okta client (Okta's password grant). */
  async function oktaTokens(client: OktaClient, scope = "openid xchg:read"): Promise<{ access_token: string; id_token: string; expires_in: number }> {
    const res = await fetch(`${oktaIssuer}/v1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username: seed.users.developer.login, password: seed.users.developer.password, scope, ...client }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { access_token: string; id_token: string; expires_in: number };
  }

  beforeAll(async () => {
    upstreams = await startBackends();
    ({ gatehouse, db, api, admin, developer, stop } = await startSystem(backend, { GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST }));
    seed = readOktaSeed(gatehouse);
    oktaIssuer = `${(await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password)).oktaUrl}/oauth2/default`;

    const product = await api(admin, "POST", "/products", { slug: "xchg", name: "Exchange", scopes: ["xchg:read", "xchg:write"], approvalType: "auto" });
    const otherProduct = await api(admin, "POST", "/products", { slug: "xchg-other", name: "Other", scopes: ["other:read"], approvalType: "auto" });
    expect([product.status, otherProduct.status]).toEqual([201, 201]);
    const proxy = await api(admin, "POST", "/proxies", {
      version: "v1",
      name: "Exchange",
      basePath: "xchg",
      targetUrl: `${upstreams.url}/xchg`,
      productIds: [product.json.id],
      idTokenMode: "whole",
    });
    expect(proxy.status, proxy.text).toBe(201);

    appA = await newApp("exchange-a", ["xchg", "xchg-other"]);
    appB = await newApp("exchange-b", ["xchg"]);
    oktaA = await registerOktaClient();
    oktaB = await registerOktaClient();
    // the portal app's Okta client (Scenario 2: the portal registers it in Okta; set here directly)
    await db.app.update({ where: { id: appA.id }, data: { oktaClientId: oktaA.client_id } });
    await db.app.update({ where: { id: appB.id }, data: { oktaClientId: oktaB.client_id } });
    for (const app of [appA, appB]) expect((await api(admin, "PATCH", `/apps/${app.id}/settings`, { tokenExchangeIssuers: [oktaIssuer] })).status).toBe(200);

    const keys = JSON.parse(readFileSync(join(gatehouse.dataDir, "okta-dev", "keys.json"), "utf8")) as { signing: JWK & { kid: string } };
    const oktaKey = await importJWK(keys.signing, "RS256");
    oktaSign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: keys.signing.kid }).sign(oktaKey);
  }, 180_000);

  afterAll(async () => {
    await stop?.();
    await upstreams?.close();
  });

  it("advertises the grant in the metadata", async () => {
    const metadata = (await (await fetch(`${gatehouse.url}/.well-known/oauth-authorization-server`)).json()) as { grant_types_supported: string[] };
    expect(metadata.grant_types_supported).toContain(GRANT);
  });

  it("exchanges the app's Okta access token (oauth4webapi) for a Gatehouse token of the same user that works at the gateway, introspects and is revoked like any", async () => {
    const okta = await oktaTokens(oktaA);
    const as = await oauth.processDiscoveryResponse(
      new URL(gatehouse.url),
      await oauth.discoveryRequest(new URL(gatehouse.url), { algorithm: "oauth2", [oauth.allowInsecureRequests]: true }),
    );
    const response = await oauth.genericTokenEndpointRequest(
      as,
      { client_id: appA.clientId },
      oauth.ClientSecretBasic(appA.secret),
      GRANT,
      { subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN, requested_token_type: ACCESS_TOKEN, audience: "xchg", scope: "xchg:read" },
      { [oauth.allowInsecureRequests]: true },
    );
    const result = await oauth.processGenericTokenEndpointResponse(as, { client_id: appA.clientId }, response);
    expect(result).toMatchObject({ token_type: "bearer", issued_token_type: ACCESS_TOKEN, scope: "xchg:read" });
    expect(result.refresh_token).toBeUndefined();
    expect(result.expires_in).toBeLessThanOrEqual(okta.expires_in);
    expect(result.access_token).toMatch(/^gth_at_/);

    const row = await db.accessToken.findFirstOrThrow({ where: { appId: appA.id, grantType: GRANT }, orderBy: { createdAt: "desc" } });
    expect(row).toMatchObject({ userSub: seed.users.developer.id, scope: "xchg:read", actor: null, revokedAt: null });

    const before = upstreams.seen.length;
    const ok = await callGateway(result.access_token);
    expect(ok.status).toBe(200);
    const seen = upstreams.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["x-gatehouse-user"]).toBe(seed.users.developer.id); // the Okta user id, as for a user signed in through Gatehouse
    expect(seen[0]!.headers["x-gatehouse-app-id"]).toBe(appA.id);
    expect(seen[0]!.headers["x-gatehouse-auth"]).toBe("gatehouse-token");

    const introspected = await introspect(result.access_token, appA);
    expect(introspected).toMatchObject({ active: true, sub: seed.users.developer.id, client_id: appA.clientId, scope: "xchg:read" });
    expect(introspected).not.toHaveProperty("act");

    const revoked = await fetch(`${gatehouse.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${appA.clientId}:${appA.secret}`).toString("base64")}` },
      body: new URLSearchParams({ token: result.access_token }),
    });
    expect(revoked.status).toBe(200);
    expect((await callGateway(result.access_token)).status).toBe(401);
    expect(upstreams.seen.length).toBe(before + 1);
  });

  it("exchanges the app's Okta id token; with an actor token (a Gatehouse token of the same app) the result carries act", async () => {
    const okta = await oktaTokens(oktaA);
    const actor = await token({ subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }, appA); // any live Gatehouse token of the app
    expect(actor.status, JSON.stringify(actor.json)).toBe(200);
    const machine = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${appA.clientId}:${appA.secret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "xchg:read" }),
    });
    const machineToken = ((await machine.json()) as { access_token: string }).access_token;

    const delegated = await token({ subject_token: okta.id_token, subject_token_type: ID_TOKEN, actor_token: machineToken, actor_token_type: ACCESS_TOKEN }, appA);
    expect(delegated.status, JSON.stringify(delegated.json)).toBe(200);
    expect(delegated.json.issued_token_type).toBe(ACCESS_TOKEN);
    const introspected = await introspect(delegated.json.access_token as string, appA);
    expect(introspected).toMatchObject({ active: true, sub: seed.users.developer.id, act: { sub: appA.clientId, client_id: appA.clientId } });
    const before = upstreams.seen.length;
    expect((await callGateway(delegated.json.access_token as string)).status).toBe(200);
    // the exchanged id token is kept: the proxy passes it on, as for a user who signed in through Gatehouse
    expect(upstreams.seen[before]!.headers).toMatchObject({
      "x-gatehouse-user": seed.users.developer.id,
      "x-gatehouse-id-token": okta.id_token,
      "x-gatehouse-actor": appA.clientId,
    });
    // without an actor, nobody is named as acting
    const direct = await callGateway(actor.json.access_token as string);
    expect(direct.status).toBe(200);
    expect(upstreams.seen[before + 1]!.headers["x-gatehouse-actor"]).toBeUndefined();
  });

  it("refuses an app not allowed for token exchange (unauthorized_client) and one allowed only another issuer (invalid_grant)", async () => {
    const okta = await oktaTokens(oktaA);
    const closed = await newApp("exchange-closed", ["xchg"]);
    const never = await token({ subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }, closed);
    expect([never.status, never.json.error]).toEqual([400, "unauthorized_client"]);

    // the admin allows it, then empties the list: the grant type goes with it
    expect((await api(admin, "PATCH", `/apps/${closed.id}/settings`, { tokenExchangeIssuers: [oktaIssuer] })).status).toBe(200);
    expect((await api(admin, "PATCH", `/apps/${closed.id}/settings`, { tokenExchangeIssuers: [] })).status).toBe(200);
    const emptied = await token({ subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }, closed);
    expect([emptied.status, emptied.json.error]).toEqual([400, "unauthorized_client"]);

    // app A, allowed only some other issuer: Okta's token is not one it may exchange
    expect((await api(admin, "PATCH", `/apps/${appA.id}/settings`, { tokenExchangeIssuers: ["https://other.okta.example/oauth2/default"] })).status).toBe(200);
    try {
      const otherIssuer = await token({ subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }, appA);
      expect([otherIssuer.status, otherIssuer.json.error]).toEqual([400, "invalid_grant"]);
    } finally {
      expect((await api(admin, "PATCH", `/apps/${appA.id}/settings`, { tokenExchangeIssuers: [oktaIssuer] })).status).toBe(200);
    }
  });

  it("refuses forged, expired and another app's Okta tokens (invalid_grant), unsupported token types (invalid_request), and writes no token", async () => {
    const exchangedByA = () => db.accessToken.count({ where: { grantType: GRANT, appId: appA.id } });
    const before = await exchangedByA();
    const okta = await oktaTokens(oktaA);
    const claims = JSON.parse(Buffer.from(okta.access_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

    // a token with Okta's claims and key id, signed by a key Okta never published
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: decodeProtectedHeader(okta.access_token).kid! }).sign(privateKey);
    const now = Math.floor(Date.now() / 1000);
    const expired = await oktaSign({ ...claims, iat: now - 7200, exp: now - 3600 });
    const otherApps = (await oktaTokens(oktaB)).access_token;
    const otherAppsId = (await oktaTokens(oktaB)).id_token;

    for (const [subject, type] of [
      [forged, ACCESS_TOKEN],
      [expired, ACCESS_TOKEN],
      [otherApps, ACCESS_TOKEN],
      [otherAppsId, ID_TOKEN],
      [okta.access_token, ID_TOKEN], // an access token is not an id token for this app
    ] as const) {
      const refused = await token({ subject_token: subject, subject_token_type: type }, appA);
      expect([refused.status, refused.json.error], `${type} ${subject.slice(-12)}`).toEqual([400, "invalid_grant"]);
      expect(String(refused.json.error_description)).not.toMatch(/jwks|signature|JWS|claim/i); // no verifier internals
    }
    for (const params of <Array<Record<string, string>>>[
      { subject_token_type: "urn:ietf:params:oauth:token-type:jwt" },
      { subject_token_type: "urn:ietf:params:oauth:token-type:saml2" },
      { subject_token_type: ACCESS_TOKEN, requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" },
    ]) {
      const refused = await token({ subject_token: okta.access_token, ...params }, appA);
      expect([refused.status, refused.json.error]).toEqual([400, "invalid_request"]);
    }
    // B's own token works for B
    expect((await token({ subject_token: otherApps, subject_token_type: ACCESS_TOKEN }, appB)).status).toBe(200);
    expect(await exchangedByA()).toBe(before);
  });

  it("honours may_act: only the actor it names may exchange the subject token", async () => {
    const okta = await oktaTokens(oktaA);
    const claims = JSON.parse(Buffer.from(okta.access_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const subject = await oktaSign({ ...claims, may_act: { sub: "00u-the-named-service" } });
    const actor = await oktaSign({ ...claims, uid: undefined, sub: oktaA.client_id }); // the app's own Okta client token
    const mismatch = await token({ subject_token: subject, subject_token_type: ACCESS_TOKEN, actor_token: actor, actor_token_type: ACCESS_TOKEN }, appA);
    expect([mismatch.status, mismatch.json.error]).toEqual([400, "invalid_grant"]);
    const noActor = await token({ subject_token: subject, subject_token_type: ACCESS_TOKEN }, appA);
    expect([noActor.status, noActor.json.error]).toEqual([400, "invalid_grant"]);

    const named = await oktaSign({ ...claims, may_act: { sub: oktaA.client_id, client_id: oktaA.client_id } });
    const allowed = await token({ subject_token: named, subject_token_type: ACCESS_TOKEN, actor_token: actor, actor_token_type: ACCESS_TOKEN }, appA);
    expect(allowed.status, JSON.stringify(allowed.json)).toBe(200);
    expect(await introspect(allowed.json.access_token as string, appA)).toMatchObject({ active: true, act: { sub: oktaA.client_id, client_id: oktaA.client_id } });
  });

  it("refuses public clients and a suspended app as every grant does (invalid_client)", async () => {
    const okta = await oktaTokens(oktaB);
    const spa = await newApp("exchange-spa", ["xchg"], { type: "public" });
    expect((await api(admin, "PATCH", `/apps/${spa.id}/settings`, { tokenExchangeIssuers: [oktaIssuer] })).status).toBe(200);
    const publicClient = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: GRANT, client_id: spa.clientId, subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }),
    });
    expect([publicClient.status, ((await publicClient.json()) as { error: string }).error]).toEqual([401, "invalid_client"]);

    expect((await api(admin, "PATCH", `/apps/${appB.id}/settings`, { status: "suspended" })).status).toBe(200);
    const suspended = await token({ subject_token: okta.access_token, subject_token_type: ACCESS_TOKEN }, appB);
    expect([suspended.status, suspended.json.error]).toEqual([401, "invalid_client"]);
  });
});
