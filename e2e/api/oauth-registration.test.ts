// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592) against the real
// server: initial access tokens made through the management API, registration with a strict
// client library (oauth4webapi), the registered client using its credentials, the registration
// access token's life (read, replace with rotation, delete), and every refusal with its code and
// side effect — on each configured back-end.
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { signIn } from "../harness/sign-in.ts";
import { apiCaller, readOktaSeed, type Caller } from "../harness/portal-setup.ts";

describe.each(configuredBackends())("dynamic client registration on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let call: ReturnType<typeof apiCaller>;
  let env: Record<string, string>;
  let admin: Caller, alice: Caller, bob: Caller;
  let as: oauth.AuthorizationServer;
  const opts = { [oauth.allowInsecureRequests]: true } as const;

  const register = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gatehouse.url}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
  const manage = (uri: string, method: string, token: string, body?: unknown) =>
    fetch(uri, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const newToken = async (who: Caller, body: Record<string, unknown>) => {
    const res = await call(who, "POST", "/initial-access-tokens", body);
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; token: string; status: string };
  };
  const tokenRow = async (who: Caller, id: string) =>
    ((await call(who, "GET", "/initial-access-tokens?limit=100")).json.items as Array<{ id: string; registrations: number; status: string }>).find((t) => t.id === id);

  beforeAll(async () => {
    ({ env, cleanup } = await backend.provision());
    gatehouse = await startGatehouse(env);
    call = apiCaller(gatehouse);
    const seed = readOktaSeed(gatehouse);
    admin = { cookie: (await signIn(gatehouse.url, seed.users.admin.login, seed.users.admin.password)).cookie };
    alice = { cookie: (await signIn(gatehouse.url, seed.users.developer.login, seed.users.developer.password)).cookie };
    expect((await call(null, "POST", "/signup", { firstName: "Bob", lastName: "Other", email: "bob@example.com", password: "Correct-Horse-42", acceptTerms: true })).status).toBe(
      201,
    );
    bob = { cookie: (await signIn(gatehouse.url, "bob@example.com", "Correct-Horse-42")).cookie };
    as = await oauth.processDiscoveryResponse(new URL(gatehouse.url), await oauth.discoveryRequest(new URL(gatehouse.url), { algorithm: "oauth2", ...opts }));
  }, 120_000);
  afterAll(async () => {
    await gatehouse?.stop();
    await cleanup?.();
  });

  it("advertises the registration endpoint", () => {
    expect(as.registration_endpoint).toBe(`${gatehouse.url}/oauth/register`);
  });

  it("registers a confidential client that gets tokens, then reads, replaces and deletes it with the registration access token", async () => {
    const iat = await newToken(alice, { label: "ci", products: ["echo"], maxRegistrations: 5, expiresInDays: 7 });
    expect(iat.token).toMatch(/^gth_iat_/);
    const client = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: "Sync robot",
          grant_types: ["client_credentials"],
          token_endpoint_auth_method: "client_secret_basic",
          software_id: "sync-robot",
          software_version: "1.2",
          logo_uri: "https://robot.example/logo.png",
          unknown_field: 1,
        } as Partial<oauth.Client>,
        { initialAccessToken: iat.token, ...opts },
      ),
    );
    expect(client).toMatchObject({
      client_name: "Sync robot",
      grant_types: ["client_credentials"],
      response_types: [],
      client_secret_expires_at: 0,
      software_id: "sync-robot",
      logo_uri: "https://robot.example/logo.png",
    });
    expect(client).not.toHaveProperty("unknown_field");
    const clientId = client.client_id;
    const secret = client.client_secret as string;
    const rat = client.registration_access_token as string;
    const uri = client.registration_client_uri as string;
    expect(secret).toMatch(/^gth_cs_/);
    expect(rat).toMatch(/^gth_rat_/);
    expect(uri).toBe(`${gatehouse.url}/oauth/register/${clientId}`);
    expect((await tokenRow(alice, iat.id))?.registrations).toBe(1);

    // an ordinary app of Alice's, its echo subscription approved at once (auto-approval product)
    const apps = (await call(alice, "GET", "/apps?limit=100")).json.items as Array<{
      id: string;
      name: string;
      credentials: Array<{ clientId: string }>;
      subscriptions: Array<{ status: string; product: { slug: string } }>;
    }>;
    const app = apps.find((a) => a.credentials.some((c) => c.clientId === clientId))!;
    expect(app.name).toBe("Sync robot");
    expect(app.subscriptions.map((s) => [s.product.slug, s.status])).toEqual([["echo", "approved"]]);
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      { client_id: clientId },
      await oauth.clientCredentialsGrantRequest(as, { client_id: clientId }, oauth.ClientSecretBasic(secret), new URLSearchParams({ scope: "echo:read" }), opts),
    );
    expect(tokens.access_token).toMatch(/^gth_at_|^ey/);

    const read = await manage(uri, "GET", rat);
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toContain("no-store");
    const current = await read.json();
    expect(current).toMatchObject({ client_id: clientId, client_name: "Sync robot", software_version: "1.2" });
    expect(current).not.toHaveProperty("client_secret");
    expect(current).not.toHaveProperty("registration_access_token");

    const put = await manage(uri, "PUT", rat, { ...current, client_name: "Sync robot v2", software_version: "2.0", logo_uri: null });
    expect(put.status).toBe(200);
    const replaced = await put.json();
    expect(replaced).toMatchObject({ client_id: clientId, client_name: "Sync robot v2", software_version: "2.0" });
    expect(replaced).not.toHaveProperty("logo_uri");
    expect(replaced.registration_access_token).toMatch(/^gth_rat_/);
    expect(replaced.registration_access_token).not.toBe(rat);
    const old = await manage(uri, "GET", rat);
    expect(old.status).toBe(401);
    expect(old.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    const newRat = replaced.registration_access_token as string;
    expect((await call(alice, "GET", `/apps/${app.id}`)).json.name).toBe("Sync robot v2");

    // client_id must match, and a secret sent along must be the current one
    expect(await (await manage(uri, "PUT", newRat, { ...current, client_id: "gth_ci_other" })).json()).toMatchObject({ error: "invalid_client_metadata" });
    expect(await (await manage(uri, "PUT", newRat, { ...current, client_secret: "gth_cs_guess" })).json()).toMatchObject({ error: "invalid_client_metadata" });

    // a registration access token reaches only its own client
    const other = await (await register(iat.token, { grant_types: ["client_credentials"] })).json();
    expect((await manage(uri, "GET", other.registration_access_token)).status).toBe(401);
    expect((await manage(other.registration_client_uri, "DELETE", newRat)).status).toBe(401);

    // revoking the initial access token leaves registered clients alone
    expect((await call(alice, "DELETE", `/initial-access-tokens/${iat.id}`)).status).toBe(204);
    expect((await manage(uri, "GET", newRat)).status).toBe(200);

    const deleted = await manage(uri, "DELETE", newRat);
    expect(deleted.status).toBe(204);
    expect((await call(alice, "GET", `/apps/${app.id}`)).status).toBe(404);
    expect((await manage(uri, "GET", newRat)).status).toBe(401);
    const after = await oauth.introspectionRequest(as, { client_id: other.client_id }, oauth.ClientSecretBasic(other.client_secret), tokens.access_token, opts);
    expect((await after.json()).active).toBe(false);
    const cc = await oauth.clientCredentialsGrantRequest(as, { client_id: clientId }, oauth.ClientSecretBasic(secret), new URLSearchParams(), opts);
    expect(cc.status).toBe(401);
  });

  it("registers a public client for the code grant and queues a manual product for approval", async () => {
    const product = await call(admin, "POST", "/products", { slug: "partner", name: "Partner API", approvalType: "manual", scopes: ["partner:read"] });
    expect(product.status, product.text).toBe(201);
    const iat = await newToken(alice, { label: "mobile", products: ["partner"] });
    const res = await register(iat.token, { client_name: "Mobile", token_endpoint_auth_method: "none", redirect_uris: ["com.example.mobile:/cb", "http://127.0.0.1/cb"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const client = await res.json();
    expect(client).toMatchObject({ token_endpoint_auth_method: "none", grant_types: ["authorization_code"], response_types: ["code"] });
    expect(client).not.toHaveProperty("client_secret");
    const app = (
      (await call(alice, "GET", "/apps?limit=100")).json.items as Array<{
        id: string;
        type: string;
        credentials: Array<{ clientId: string }>;
        subscriptions: Array<{ id: string; status: string }>;
      }>
    ).find((a) => a.credentials.some((c) => c.clientId === client.client_id))!;
    expect(app.type).toBe("public");
    expect(app.subscriptions.map((s) => s.status)).toEqual(["pending"]);
    expect((await call(admin, "POST", `/subscriptions/${app.subscriptions[0]!.id}/decision`, { decision: "approve" })).json.status).toBe("approved");
  });

  it("refuses absent, unknown, revoked, expired and used-up initial access tokens with invalid_token, registering nothing", async () => {
    const count = async () => (await call(alice, "GET", "/apps?limit=100")).json.items.length as number;
    const before = await count();
    const body = { grant_types: ["client_credentials"] };

    const absent = await register(null, body);
    expect(absent.status).toBe(401);
    expect(absent.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect(absent.headers.get("www-authenticate")).not.toContain("error=");
    expect((await absent.json()).error).toBe("invalid_token");

    const unknown = await register("gth_iat_never_issued", body);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toContain('error="invalid_token"');

    const revoked = await newToken(alice, { label: "revoked" });
    expect((await call(alice, "DELETE", `/initial-access-tokens/${revoked.id}`)).status).toBe(204);
    expect((await register(revoked.token, body)).status).toBe(401);
    expect((await tokenRow(alice, revoked.id))?.status).toBe("revoked");

    // expired: one registration while valid, then time passes (the expiry moved into the past)
    const expiring = await newToken(alice, { label: "expiring", expiresInDays: 1 });
    expect((await register(expiring.token, body)).status).toBe(201);
    await ageToken(gatehouse, env, expiring.id);
    const expired = await register(expiring.token, body);
    expect(expired.status).toBe(401);
    expect((await tokenRow(alice, expiring.id))?.status).toBe("expired");

    const single = await newToken(alice, { label: "single", maxRegistrations: 1 });
    const racing = await Promise.all([register(single.token, body), register(single.token, body)]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 401]);
    expect(await tokenRow(alice, single.id)).toMatchObject({ registrations: 1, status: "exhausted" });
    expect((await register(single.token, body)).status).toBe(401);

    // the expiring token's one registration and the race's winner
    expect(await count()).toBe(before + 2);
  });

  it("refuses bad metadata with the RFC 7591 codes, consuming nothing", async () => {
    const iat = await newToken(alice, { label: "metadata", maxRegistrations: 1 });
    const cases: Array<[unknown, string]> = [
      [{ redirect_uris: ["http://evil.example/cb"] }, "invalid_redirect_uri"],
      [{ redirect_uris: ["https://app.example/cb#frag"] }, "invalid_redirect_uri"],
      [{ redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
      [{ grant_types: ["password"] }, "invalid_client_metadata"],
      [{ grant_types: ["implicit"], response_types: ["token"], redirect_uris: ["https://app.example/cb"] }, "invalid_client_metadata"],
      [{ grant_types: ["client_credentials"], token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
      [{ grant_types: ["client_credentials"], logo_uri: "http://app.example/logo.png" }, "invalid_client_metadata"],
    ];
    for (const [body, code] of cases) {
      const res = await register(iat.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error, JSON.stringify(body)).toBe(code);
    }
    const notJson = await fetch(`${gatehouse.url}/oauth/register`, { method: "POST", headers: { authorization: `Bearer ${iat.token}`, "content-type": "text/plain" }, body: "{}" });
    expect(notJson.status).toBe(400);
    expect((await tokenRow(alice, iat.id))?.registrations).toBe(0);
    expect((await register(iat.token, { grant_types: ["client_credentials"] })).status).toBe(201);
  });

  it("keeps each developer's initial access tokens their own (BOLA); admins see and revoke all", async () => {
    const alices = await newToken(alice, { label: "alice-only" });
    const bobs = (await call(bob, "GET", "/initial-access-tokens")).json.items as Array<{ id: string }>;
    expect(bobs.map((t) => t.id)).not.toContain(alices.id);
    expect((await call(bob, "DELETE", `/initial-access-tokens/${alices.id}`)).status).toBe(404);
    expect((await tokenRow(alice, alices.id))?.status).toBe("active");
    const all = (await call(admin, "GET", "/initial-access-tokens?limit=100")).json.items as Array<{ id: string; owner?: { email: string } }>;
    expect(all.find((t) => t.id === alices.id)?.owner).toBeDefined();
    expect((await call(admin, "DELETE", `/initial-access-tokens/${alices.id}`)).status).toBe(204);
    expect((await tokenRow(alice, alices.id))?.status).toBe("revoked");
    // nothing secret is listed, and nobody can set owner or counters
    expect(JSON.stringify(all)).not.toMatch(/gth_iat_|tokenHash/);
    expect((await call(alice, "POST", "/initial-access-tokens", { label: "x", ownerId: "someone", registrations: 5 })).status).toBe(400);
    expect((await call(alice, "POST", "/initial-access-tokens", { label: "x", products: ["no-such-product"] })).json.fields).toHaveProperty("products");
  });

  it("fails registrations of a suspended developer, for new and registered clients", async () => {
    const bobToken = await newToken(bob, { label: "bob" });
    const client = await (await register(bobToken.token, { grant_types: ["client_credentials"] })).json();
    const me = await call(bob, "GET", "/me");
    expect((await call(admin, "PUT", `/developers/${me.json.id}/status`, { status: "suspended" })).status).toBe(200);
    expect((await register(bobToken.token, { grant_types: ["client_credentials"] })).status).toBe(401);
    expect((await manage(client.registration_client_uri, "GET", client.registration_access_token)).status).toBe(401);
  });
});

/** Moves a token's expiry into the past, as time would: straight in the database the server uses. */
async function ageToken(gatehouse: RunningGatehouse, env: Record<string, string>, id: string): Promise<void> {
  const { createDatabaseClient } = await import("../../lib/db/client.ts");
  const { join } = await import("node:path");
  const db = env.DATABASE_URL
    ? createDatabaseClient({ kind: "postgres", url: env.DATABASE_URL })
    : createDatabaseClient({ kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
  try {
    await db.initialAccessToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  } finally {
    await db.$disconnect();
  }
}
