// Key lifecycle against the real server: renewing a credential with a grace period (both work
// during it, the old one is refused after it — before the sweep has run — and the sweep revokes it
// once, however often it runs), the admin's maximum grace, referrer and CIDR restrictions at the
// token endpoint and the gateway (with the spellings an attacker would try, and the backend never
// called on a refusal), and the credential.expiring / credential.revoked events. On SQLite, and on
// PostgreSQL + Redis when TEST_DATABASE_URL/TEST_REDIS_URL are set.
//
// The sweep is run here directly (the server's own runs hourly in this test): grace periods and
// expiry thresholds are days long, so the test moves the credential's dates in the database and
// passes the sweep a fixed clock instead of waiting.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../lib/db/client.ts";
import { MemoryStore, RedisStore, type Store } from "../../lib/store/index.ts";
import type { PortalContext } from "../../lib/portal/context.ts";
import { recordExpiryWarnings, revokeCredentialsPastGrace } from "../../lib/portal/credential-sweep.ts";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";
import { databaseOf } from "../harness/system.ts";

const DAY = 86_400_000;

interface Credential {
  id: string;
  clientId: string;
  clientSecret: string;
}

describe.each(configuredBackends())("key lifecycle on $name", (backend) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let db: Database;
  let store: Store;
  let ctx: PortalContext;
  let upstreams: TestBackends;
  let admin: Caller, developer: Caller;
  let api: ReturnType<typeof apiCaller>;

  beforeAll(async () => {
    upstreams = await startBackends();
    let env: Record<string, string>;
    ({ env, cleanup } = await backend.provision());
    // the test is its own load balancer: 127.0.0.1 is trusted to say who called (X-Forwarded-For)
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST, TRUSTED_PROXIES: "127.0.0.1", CREDENTIAL_SWEEP_INTERVAL_SECONDS: "3600" });
    db = databaseOf(gatehouse, env);
    // with Redis, what the sweep here announces reaches the server's caches as it would from another instance
    store = env.REDIS_URL ? new RedisStore(env.REDIS_URL, env.REDIS_KEY_PREFIX!) : new MemoryStore();
    ctx = { db, store, adminGroup: "admins" };
    api = apiCaller(gatehouse);
    ({ admin, developer } = await seededSessions(gatehouse));
    const product = await api(admin, "POST", "/products", { slug: "keys", name: "Keys", scopes: ["keys:read"], approvalType: "auto" });
    expect(product.status, product.text).toBe(201);
    for (const [basePath, policies] of [
      ["keys-bearer", []],
      ["keys-api", [{ policy: "verify-api-key", config: {} }]],
    ] as const) {
      const proxy = await api(admin, "POST", "/proxies", {
        name: basePath,
        basePath,
        version: "v1",
        targetUrl: `${upstreams.url}/${basePath}`,
        productIds: [product.json.id],
        policies,
      });
      expect(proxy.status, proxy.text).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await db?.$disconnect();
    await store?.close();
    await cleanup?.();
    await upstreams?.close();
  });

  async function newApp(name: string): Promise<{ appId: string; credential: Credential }> {
    const created = await api(developer, "POST", "/apps", { name, products: ["keys"] });
    expect(created.status, created.text).toBe(201);
    return { appId: created.json.app.id, credential: created.json.credential };
  }

  const basic = (c: Credential) => `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64")}`;

  async function token(c: Credential, headers: Record<string, string> = {}) {
    const res = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(c), ...headers },
      body: "grant_type=client_credentials&scope=keys:read",
    });
    const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    return { status: res.status, body, challenge: res.headers.get("www-authenticate") };
  }

  /** A gateway call; `reached` says whether the backend saw it. */
  async function gateway(basePath: "keys-bearer" | "keys-api", auth: { bearer?: string; apiKey?: string }, headers: Record<string, string> = {}) {
    const id = Math.random().toString(36).slice(2);
    const res = await fetch(`${gatehouse.url}/gateway/${basePath}/v1/${id}`, {
      headers: { ...(auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {}), ...(auth.apiKey ? { "x-api-key": auth.apiKey } : {}), ...headers },
    });
    const text = await res.text();
    const reached = upstreams.seen.some((s) => s.url === `/${basePath}/${id}`);
    return { status: res.status, text, contentType: res.headers.get("content-type"), reached };
  }

  /** A request with headers exactly as written, over a plain socket (two Referer headers, which
   * fetch and node:http would merge or refuse to send); answers the status. */
  const rawGateway = (path: string, headers: Array<[string, string]>) =>
    new Promise<number>((resolve, reject) => {
      const socket = net.connect(gatehouse.port, "127.0.0.1", () =>
        socket.write(`GET /gateway${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}Connection: close\r\n\r\n`),
      );
      let answer = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (answer += chunk));
      socket.on("end", () => resolve(Number(answer.split(" ")[1])));
      socket.on("error", reject);
    });

  it("renews with a grace period: both work during it, the old one is refused after it, and the sweep revokes it once", async () => {
    // the admin's maximum: only admins change it; a renewal above it is refused
    expect((await api(developer, "PUT", "/settings/credentials", { maxRenewalGraceDays: 90 })).status).toBe(403);
    const settings = await api(admin, "PUT", "/settings/credentials", { maxRenewalGraceDays: 10 });
    expect(settings.status, settings.text).toBe(200);
    expect((await api(developer, "GET", "/settings/credentials")).json).toEqual({ maxRenewalGraceDays: 10 });

    const { appId, credential: old } = await newApp("renewal");
    await api(developer, "PATCH", `/apps/${appId}/credentials/${old.id}`, { allowedCidrs: ["127.0.0.0/8", "::1/128"] });
    const oldToken = (await token(old)).body.access_token!;
    expect(oldToken).toBeTruthy();

    const tooLong = await api(developer, "POST", `/apps/${appId}/credentials/${old.id}/renew`, { graceDays: 11 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get("content-type")).toContain("application/problem+json");
    expect(await db.credential.count({ where: { appId } })).toBe(1); // nothing issued

    const renewed = await api(developer, "POST", `/apps/${appId}/credentials/${old.id}/renew`, { graceDays: 3 });
    expect(renewed.status, renewed.text).toBe(201);
    const fresh: Credential = renewed.json.credential;
    expect(fresh.clientSecret).toMatch(/\S{20,}/);
    expect(renewed.json.credential.allowedCidrs).toEqual(["127.0.0.0/8", "::1/128"]); // restrictions carried over
    expect(renewed.json.replaced).toMatchObject({ id: old.id, status: "active", replacedById: fresh.id });
    expect(Math.abs(new Date(renewed.json.replaced.graceEndsAt).getTime() - (Date.now() + 3 * DAY))).toBeLessThan(60_000);
    // a credential is renewed once
    expect((await api(developer, "POST", `/apps/${appId}/credentials/${old.id}/renew`, { graceDays: 3 })).status).toBe(409);

    // during the grace period both credentials and the old credential's tokens work
    expect((await token(old)).status).toBe(200);
    const freshToken = await token(fresh);
    expect(freshToken.status).toBe(200);
    for (const auth of [{ bearer: oldToken }, { bearer: freshToken.body.access_token! }]) expect((await gateway("keys-bearer", auth)).status).toBe(200);
    for (const c of [old, fresh]) expect((await gateway("keys-api", { apiKey: c.clientId })).status).toBe(200);

    // the grace period ends (moved into the past); any app change makes caches reload at once
    // (otherwise they would within 30 s) — the sweep has not run: the checks alone refuse
    await db.credential.update({ where: { id: old.id }, data: { graceEndsAt: new Date(Date.now() - 1000) } });
    expect((await api(developer, "PATCH", `/apps/${appId}/credentials/${fresh.id}`, { allowedReferrers: [] })).status).toBe(200);
    const refused = await token(old);
    expect([refused.status, refused.body.error]).toEqual([401, "invalid_client"]);
    const bearer = await gateway("keys-bearer", { bearer: oldToken });
    expect([bearer.status, bearer.reached]).toEqual([401, false]);
    const key = await gateway("keys-api", { apiKey: old.clientId });
    expect([key.status, key.reached]).toEqual([401, false]);
    expect((await db.credential.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("active");
    // the new one carries on
    expect((await token(fresh)).status).toBe(200);
    expect((await gateway("keys-api", { apiKey: fresh.clientId })).status).toBe(200);

    // the sweep, run as two instances at once and then again: revoked once, tokens with it
    const [a, b] = await Promise.all([revokeCredentialsPastGrace(ctx), revokeCredentialsPastGrace(ctx)]);
    expect([...a, ...b]).toEqual([old.id]);
    expect(await revokeCredentialsPastGrace(ctx)).toEqual([]);
    const row = await db.credential.findUniqueOrThrow({ where: { id: old.id } });
    expect(row.status).toBe("revoked");
    expect(row.revokedAt).not.toBeNull();
    expect(await db.accessToken.count({ where: { credentialId: old.id, revokedAt: null } })).toBe(0);
    expect(await db.accessToken.count({ where: { credentialId: fresh.id, revokedAt: null } })).toBeGreaterThan(0);
    expect(await db.auditEvent.count({ where: { action: "credential.revoked", targetId: old.id, actorType: "system" } })).toBe(1);

    // a grace of 0 days revokes the renewed credential at once, with its tokens
    const now = await api(developer, "POST", `/apps/${appId}/credentials/${fresh.id}/renew`, { graceDays: 0 });
    expect(now.status, now.text).toBe(201);
    expect(now.json.replaced).toMatchObject({ status: "revoked", replacedById: now.json.credential.id });
    expect((await token(fresh)).status).toBe(401);
    expect((await gateway("keys-bearer", { bearer: freshToken.body.access_token! })).status).toBe(401);
    expect((await token(now.json.credential)).status).toBe(200);
  });

  it("restricts a credential to address ranges: token endpoint 401 invalid_client, gateway 403, forged X-Forwarded-For ignored", async () => {
    const { appId, credential } = await newApp("cidr");
    const path = `/apps/${appId}/credentials/${credential.id}`;
    for (const bad of [["10.0.0.1/8"], ["10.0.0.0/33"], ["::ffff:10.0.0.0/104"], ["example.com"]]) {
      const res = await api(developer, "PATCH", path, { allowedCidrs: bad });
      expect(res.status, bad[0]).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const unrestricted = (await token(credential)).body.access_token!;
    const set = await api(developer, "PATCH", path, { allowedCidrs: ["10.0.0.0/8", "2001:DB8::/32"] });
    expect(set.status, set.text).toBe(200);
    expect(set.json.allowedCidrs).toEqual(["10.0.0.0/8", "2001:db8::/32"]);

    // the test's own address (127.0.0.1, a trusted proxy that forwarded nothing) is outside
    const direct = await token(credential);
    expect([direct.status, direct.body.error]).toEqual([401, "invalid_client"]);
    expect(direct.body.error_description).toMatch(/address/);
    expect(direct.challenge).toMatch(/^Basic/);
    expect((await token(credential, { "x-forwarded-for": "10.1.2.3" })).status).toBe(200);
    expect((await token(credential, { "x-forwarded-for": "::ffff:10.1.2.3" })).status).toBe(200);
    expect((await token(credential, { "x-forwarded-for": "2001:db8:1::5" })).status).toBe(200);
    // the caller wrote the left entry itself; the balancer appended the real address
    expect((await token(credential, { "x-forwarded-for": "10.1.2.3, 198.51.100.7" })).status).toBe(401);
    expect((await token(credential, { "x-forwarded-for": "11.0.0.1" })).status).toBe(401);

    // the gateway: API keys and tokens issued under the credential (even before it was restricted)
    const inside = { "x-forwarded-for": "10.9.9.9" };
    for (const auth of [{ apiKey: credential.clientId }, { bearer: unrestricted }]) {
      const basePath = auth.apiKey ? "keys-api" : "keys-bearer";
      const outside = await gateway(basePath, auth);
      expect([outside.status, outside.reached]).toEqual([403, false]);
      expect(outside.contentType).toContain("application/problem+json");
      expect(JSON.parse(outside.text)).toMatchObject({ code: "credential_address_restricted" });
      expect((await gateway(basePath, auth, { "x-forwarded-for": "10.9.9.9, 203.0.113.1" })).status).toBe(403);
      const ok = await gateway(basePath, auth, inside);
      expect([ok.status, ok.reached]).toEqual([200, true]);
    }

    // lifting the restriction applies at once
    expect((await api(developer, "PATCH", path, { allowedCidrs: [] })).status).toBe(200);
    expect((await token(credential)).status).toBe(200);
  });

  it("restricts a credential to web pages: Origin, else Referer, compared after normalisation; attacker spellings refused", async () => {
    const { appId, credential } = await newApp("referrers");
    const path = `/apps/${appId}/credentials/${credential.id}`;
    for (const bad of ["http://app.example.com/*", "https://user@app.example.com/*", "https://app.*.com/*", "https://app.example.com"]) {
      expect((await api(developer, "PATCH", path, { allowedReferrers: [bad] })).status, bad).toBe(400);
    }
    const set = await api(developer, "PATCH", path, { allowedReferrers: ["https://App.Example.com:443/*", "https://*.example.org/console/*"] });
    expect(set.status, set.text).toBe(200);
    expect(set.json.allowedReferrers).toEqual(["https://app.example.com/*", "https://*.example.org/console/*"]);

    const allowed: Array<Record<string, string>> = [
      { origin: "https://app.example.com" },
      { referer: "https://app.example.com/page?x=1" },
      { referer: "https://APP.EXAMPLE.COM/x" },
      { referer: "https://a.example.org/console/x" },
      { origin: "https://b.c.example.org" },
    ];
    const refused: Array<Record<string, string>> = [
      {},
      { origin: "https://app.example.com.evil.com" },
      { origin: "null" },
      { origin: "http://app.example.com" },
      { referer: "https://app.example.com.evil.com/" },
      { referer: "https://app.example.com@evil.com/" },
      { referer: "https://evil.com/https://app.example.com/" },
      { referer: "https://app.example.com%2eevil.com/" },
      { referer: "https://a.example.org/%63onsole/x" },
      { referer: "https://example.org/console/x" },
      // Origin decides when both are sent
      { origin: "https://evil.com", referer: "https://app.example.com/" },
    ];
    for (const headers of allowed) expect((await token(credential, headers)).status, JSON.stringify(headers)).toBe(200);
    for (const headers of refused) {
      const res = await token(credential, headers);
      expect([res.status, res.body.error], JSON.stringify(headers)).toEqual([401, "invalid_client"]);
    }

    for (const headers of allowed) {
      const res = await gateway("keys-api", { apiKey: credential.clientId }, headers);
      expect([res.status, res.reached], JSON.stringify(headers)).toEqual([200, true]);
    }
    for (const headers of refused) {
      const res = await gateway("keys-api", { apiKey: credential.clientId }, headers);
      expect([res.status, res.reached], JSON.stringify(headers)).toEqual([403, false]);
    }
    // two Referer headers: no browser sends them; refused whichever order
    const seen = upstreams.seen.length;
    for (const order of [
      ["https://app.example.com/", "https://evil.com/"],
      ["https://evil.com/", "https://app.example.com/"],
    ])
      expect(
        await rawGateway("/keys-api/v1/two", [
          ["x-api-key", credential.clientId],
          ["referer", order[0]!],
          ["referer", order[1]!],
        ]),
      ).toBe(403);
    expect(upstreams.seen.length).toBe(seen);
  });

  it("records credential.expiring once at 14, 7 and 1 days, and credential.revoked when an admin revokes", async () => {
    const { appId, credential } = await newApp("expiring");
    const start = Date.now();
    const expiresAt = new Date(start + 13 * DAY);
    await db.credential.update({ where: { id: credential.id }, data: { expiresAt } });
    const events = async () =>
      (await db.outboxEvent.findMany({ where: { type: "credential.expiring" }, orderBy: { createdAt: "asc" } }))
        .map((e) => ({ ...e, payload: JSON.parse(e.payload) as Record<string, unknown> }))
        .filter((e) => e.payload.credentialId === credential.id);

    // two instances sweeping at once, at each threshold, then again: one event each
    for (const [at, days] of [
      [start, 14],
      [start + 6.5 * DAY, 7],
      [start + 12.5 * DAY, 1],
    ] as const) {
      const now = new Date(at);
      await Promise.all([recordExpiryWarnings(ctx, now), recordExpiryWarnings(ctx, now)]);
      await recordExpiryWarnings(ctx, new Date(at + 3_600_000));
      expect((await events()).map((e) => e.payload.days)).toEqual([14, 7, 1].slice(0, [14, 7, 1].indexOf(days) + 1));
    }
    const [first] = await events();
    expect(first!.developerId).toBeTruthy();
    expect(first!.payload).toMatchObject({
      appId,
      appName: "expiring",
      credentialId: credential.id,
      clientId: credential.clientId,
      endsAt: expiresAt.toISOString(),
      reason: "expiry",
    });
    // past its end nothing more is told (the token checks refuse it)
    await recordExpiryWarnings(ctx, new Date(start + 13.5 * DAY));
    expect(await events()).toHaveLength(3);

    // the developer revoking their own credential is not told about it; an admin's revocation is
    const { appId: ownId, credential: own } = await newApp("own-revoke");
    expect((await api(developer, "DELETE", `/apps/${ownId}/credentials/${own.id}`)).status).toBe(200);
    const revoked = await api(admin, "DELETE", `/apps/${appId}/credentials/${credential.id}`);
    expect(revoked.status, revoked.text).toBe(200);
    const told = (await db.outboxEvent.findMany({ where: { type: "credential.revoked" } })).map((e) => JSON.parse(e.payload) as Record<string, unknown>);
    expect(told.filter((p) => p.credentialId === own.id)).toHaveLength(0);
    expect(told.filter((p) => p.credentialId === credential.id)).toEqual([{ appId, appName: "expiring", credentialId: credential.id, clientId: credential.clientId }]);
    // revoking again changes nothing and tells nobody again
    expect((await api(admin, "DELETE", `/apps/${appId}/credentials/${credential.id}`)).status).toBe(200);
    expect(await db.outboxEvent.count({ where: { type: "credential.revoked", payload: { contains: credential.id } } })).toBe(1);
  });
});
